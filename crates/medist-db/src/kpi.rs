//! KPIs: their counting rules (text in `medist_performance`'s language), the records each kind of
//! rule can count, and live evaluation with the records counted.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use medist_performance::schema::{FieldType, Record, Schema, Value};
use medist_performance::{CountingRule, KpiValue, evaluate, parse};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::{consortium, course, kpi, publication, publication_author, trainee};
use crate::{Db, StoreError, Who, now};

/// What a counting rule can see. A `patent_event` record is one event of an application (its `owner` is the
/// family's first owner institution).
pub fn schema() -> Schema {
    use FieldType::*;
    Schema::default()
        .with(
            "trainee",
            "start_date",
            Some("institution"),
            &[
                ("start_date", Date),
                ("status", Text),
                ("track", Text),
                ("category", Text),
                ("program", Text),
                ("institution", Text),
            ],
        )
        .with(
            "course",
            "listed_on",
            Some("institution"),
            &[("listed_on", Date), ("joint", Bool), ("institution", Text), ("tracks", TextList), ("code", Text)],
        )
        .with(
            "publication",
            "published_on",
            Some("institutions"),
            &[
                ("published_on", Date),
                ("year", Int),
                ("journal", Text),
                ("doi", Text),
                ("pmid", Text),
                ("type", Text),
                ("sci_level", Bool),
                ("grant_acknowledged", Bool),
                ("consortium_author", Bool),
                ("institutions", TextList),
            ],
        )
        .with(
            "project",
            "approved_on",
            Some("institutions"),
            &[("approved_on", Date), ("stage", Text), ("status", Text), ("institutions", TextList)],
        )
        .with(
            "patent_event",
            "event_date",
            Some("owner"),
            &[("event_date", Date), ("kind", Text), ("owner", Text), ("jurisdiction", Text)],
        )
}

fn rec(id: i64, fields: Vec<(&'static str, Value)>) -> Record {
    Record::new(id, fields)
}

fn text(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { Value::Text(s.to_string()) }
}

/// The records of one kind, as the rules see them.
pub async fn records(db: &Db, consortium_id: i64, entity: &str) -> Result<Vec<Record>, StoreError> {
    let c = consortium::Entity::find_by_id(consortium_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("consortium", consortium_id))?;
    let codes = crate::education::institution_codes(db, consortium_id).await?;
    Ok(match entity {
        "trainee" => {
            let programs: BTreeMap<i64, String> =
                crate::education::programs(db, consortium_id).await?.into_iter().map(|p| (p.id, p.code)).collect();
            trainee::Entity::find()
                .filter(trainee::Column::ConsortiumId.eq(consortium_id))
                .all(&db.conn)
                .await?
                .into_iter()
                .map(|t| {
                    rec(
                        t.id,
                        vec![
                            ("start_date", Value::Date(t.start_date)),
                            ("status", text(&t.status)),
                            ("track", text(&t.track)),
                            ("category", text(&t.category)),
                            ("program", programs.get(&t.program_id).map(|p| text(p)).unwrap_or(Value::Null)),
                            ("institution", codes.get(&t.home_institution_id).map(|c| text(c)).unwrap_or(Value::Null)),
                        ],
                    )
                })
                .collect()
        }
        "course" => {
            let listed = NaiveDate::from_ymd_opt(c.period_start_year, 3, 1).unwrap_or_default();
            course::Entity::find()
                .filter(course::Column::ConsortiumId.eq(consortium_id))
                .all(&db.conn)
                .await?
                .into_iter()
                .map(|x| {
                    rec(
                        x.id,
                        vec![
                            ("listed_on", Value::Date(listed)),
                            ("joint", Value::Bool(x.joint)),
                            ("institution", codes.get(&x.institution_id).map(|c| text(c)).unwrap_or(Value::Null)),
                            (
                                "tracks",
                                Value::TextList(
                                    x.tracks.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
                                ),
                            ),
                            ("code", text(&x.code)),
                        ],
                    )
                })
                .collect()
        }
        "publication" => {
            // Only the columns a rule can see (not titles or keys): a consortium of the national program has tens of
            // thousands of papers.
            type Row = (
                i64,
                Option<i32>,
                String,
                Option<String>,
                Option<String>,
                String,
                Option<String>,
                Option<String>,
                String,
            );
            use publication::Column as P;
            let sci = crate::sci::index(db, consortium_id).await?;
            let mut matched: std::collections::BTreeSet<i64> = std::collections::BTreeSet::new();
            // A paper's institutions: those of its authors linked to people of the consortium's institutions.
            let inst_ids: Vec<i64> = codes.keys().copied().collect();
            let mut person_inst: BTreeMap<i64, i64> = BTreeMap::new();
            for chunk in inst_ids.chunks(5_000) {
                let rows: Vec<(i64, i64)> = crate::entities::person::Entity::find()
                    .select_only()
                    .columns([crate::entities::person::Column::Id, crate::entities::person::Column::InstitutionId])
                    .filter(crate::entities::person::Column::InstitutionId.is_in(chunk.to_vec()))
                    .into_tuple()
                    .all(&db.conn)
                    .await?;
                person_inst.extend(rows);
            }
            // The linked authors of the consortium's papers, in one query read from the (publication_id, person_id)
            // index.
            use publication_author::Column as A;
            let links: Vec<(i64, Option<i64>)> = publication_author::Entity::find()
                .select_only()
                .columns([A::PublicationId, A::PersonId])
                .filter(A::PersonId.is_not_null())
                .filter(
                    A::PublicationId.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(P::Id)
                            .from(publication::Entity)
                            .and_where(P::ConsortiumId.eq(consortium_id))
                            .to_owned(),
                    ),
                )
                .into_tuple()
                .all(&db.conn)
                .await?;
            let mut pub_insts: BTreeMap<i64, std::collections::BTreeSet<String>> = BTreeMap::new();
            for (pub_id, person_id) in links {
                matched.insert(pub_id);
                if let Some(code) = person_id.and_then(|p| person_inst.get(&p)).and_then(|i| codes.get(i)) {
                    pub_insts.entry(pub_id).or_default().insert(code.clone());
                }
            }
            // The papers are read as a stream and turned into records one by one: the rows of a national
            // consortium's 40,000 papers and their records are never in memory together.
            use futures_util::TryStreamExt;
            let mut rows = publication::Entity::find()
                .select_only()
                .columns([P::Id, P::Year, P::Journal, P::Doi, P::Pmid, P::PubType, P::Issn, P::Eissn, P::Funding])
                .filter(P::ConsortiumId.eq(consortium_id))
                .order_by_asc(P::Id)
                .into_tuple::<Row>()
                .stream(&db.conn)
                .await?;
            let mut out = Vec::new();
            while let Some((id, year, journal, doi, pmid, pub_type, issn, eissn, funding)) = rows.try_next().await? {
                out.push(rec(
                    id,
                    vec![
                        (
                            "published_on",
                            year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)).map(Value::Date).unwrap_or(Value::Null),
                        ),
                        ("year", year.map(|y| Value::Int(y as i64)).unwrap_or(Value::Null)),
                        ("journal", text(&journal)),
                        ("doi", doi.as_deref().map(text).unwrap_or(Value::Null)),
                        ("pmid", pmid.as_deref().map(text).unwrap_or(Value::Null)),
                        ("type", text(&pub_type)),
                        // Listed for its own year in an edition that counts (the consortium's SCI lists).
                        ("sci_level", Value::Bool(sci.is_sci_level(issn.as_deref(), eissn.as_deref(), year))),
                        ("grant_acknowledged", Value::Bool(!funding.trim().is_empty())),
                        ("consortium_author", Value::Bool(matched.contains(&id))),
                        (
                            "institutions",
                            Value::TextList(pub_insts.remove(&id).map(|s| s.into_iter().collect()).unwrap_or_default()),
                        ),
                    ],
                ));
            }
            out
        }
        "project" => {
            use crate::entities::{project, project_event, project_member};
            let projects =
                project::Entity::find().filter(project::Column::ConsortiumId.eq(consortium_id)).all(&db.conn).await?;
            let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
            // Approved on: the day of the recorded move to `approved`; a project never approved has no date.
            let mut approved: BTreeMap<i64, NaiveDate> = BTreeMap::new();
            let mut institutions: BTreeMap<i64, std::collections::BTreeSet<String>> = BTreeMap::new();
            for chunk in ids.chunks(10_000) {
                for e in project_event::Entity::find()
                    .filter(project_event::Column::ProjectId.is_in(chunk.to_vec()))
                    .filter(project_event::Column::ToStatus.eq("approved"))
                    .all(&db.conn)
                    .await?
                {
                    approved.entry(e.project_id).or_insert(e.at.date_naive());
                }
                for m in project_member::Entity::find()
                    .filter(project_member::Column::ProjectId.is_in(chunk.to_vec()))
                    .all(&db.conn)
                    .await?
                {
                    if let Some(code) = codes.get(&m.institution_id) {
                        institutions.entry(m.project_id).or_default().insert(code.clone());
                    }
                }
            }
            projects
                .into_iter()
                .map(|p| {
                    rec(
                        p.id,
                        vec![
                            ("approved_on", approved.get(&p.id).map(|d| Value::Date(*d)).unwrap_or(Value::Null)),
                            ("stage", text(&p.stage)),
                            ("status", text(&p.status)),
                            (
                                "institutions",
                                Value::TextList(institutions.remove(&p.id).unwrap_or_default().into_iter().collect()),
                            ),
                        ],
                    )
                })
                .collect()
        }
        "patent_event" => {
            use crate::entities::{patent_application, patent_event, patent_family};
            let families = patent_family::Entity::find()
                .filter(patent_family::Column::ConsortiumId.eq(consortium_id))
                .all(&db.conn)
                .await?;
            let family_ids: Vec<i64> = families.iter().map(|f| f.id).collect();
            let owners = crate::patents::first_owners(db, &family_ids).await?;
            let mut out = Vec::new();
            for chunk in family_ids.chunks(5_000) {
                let apps: BTreeMap<i64, patent_application::Model> = patent_application::Entity::find()
                    .filter(patent_application::Column::FamilyId.is_in(chunk.to_vec()))
                    .all(&db.conn)
                    .await?
                    .into_iter()
                    .map(|a| (a.id, a))
                    .collect();
                let app_ids: Vec<i64> = apps.keys().copied().collect();
                for achunk in app_ids.chunks(5_000) {
                    for e in patent_event::Entity::find()
                        .filter(patent_event::Column::ApplicationId.is_in(achunk.to_vec()))
                        .order_by_asc(patent_event::Column::Id)
                        .all(&db.conn)
                        .await?
                    {
                        let Some(a) = apps.get(&e.application_id) else { continue };
                        let owner = owners.get(&a.family_id).and_then(|i| codes.get(i));
                        out.push(rec(
                            e.id,
                            vec![
                                ("event_date", Value::Date(e.event_date)),
                                ("kind", text(&e.kind)),
                                ("owner", owner.map(|c| text(c)).unwrap_or(Value::Null)),
                                ("jurisdiction", text(&a.jurisdiction)),
                            ],
                        ));
                    }
                }
            }
            out
        }
        _ => vec![],
    })
}

pub async fn list(db: &Db, consortium_id: i64) -> Result<Vec<kpi::Model>, StoreError> {
    Ok(kpi::Entity::find()
        .filter(kpi::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(kpi::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn get(db: &Db, id: i64) -> Result<kpi::Model, StoreError> {
    kpi::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("kpi", id))
}

/// A KPI's value now, or why its rule cannot be evaluated.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiResult {
    pub kpi: kpi::Model,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub value: Option<KpiValue>,
    /// Problems with the rule, each with its line and column or the field at fault.
    pub rule_errors: Vec<String>,
}

/// Checks a rule text against the schema; every problem in words.
pub fn check_rule(text: &str) -> Result<CountingRule, Vec<String>> {
    let rule = parse(text).map_err(|e| vec![e.to_string()])?;
    rule.check(&schema()).map_err(|errs| errs.into_iter().map(|e| e.to_string()).collect::<Vec<_>>())?;
    Ok(rule)
}

pub async fn evaluate_kpi(db: &Db, k: kpi::Model) -> Result<KpiResult, StoreError> {
    let rule = match check_rule(&k.rule_text) {
        Ok(r) => r,
        Err(rule_errors) => return Ok(KpiResult { kpi: k, value: None, rule_errors }),
    };
    let s = schema();
    let ent = &s.entities[&rule.entity];
    let recs = records(db, k.consortium_id, &rule.entity).await?;
    let from = NaiveDate::from_ymd_opt(k.start_year, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(k.end_year, 12, 31).unwrap_or_default();
    let value = evaluate(&rule, ent, &recs, from, to);
    Ok(KpiResult { kpi: k, value: Some(value), rule_errors: vec![] })
}

/// Replaces a KPI's rule after checking it; the old and new text go to the audit log.
pub async fn set_rule(db: &Db, who: &Who, id: i64, text: &str) -> Result<kpi::Model, StoreError> {
    if let Err(errs) = check_rule(text) {
        tracing::debug!(?errs, "rule refused");
        return Err(StoreError::invalid("rule_text", "rule-invalid"));
    }
    let txn = db.write().await?;
    let before = kpi::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| StoreError::not_found("kpi", id))?;
    let mut am: kpi::ActiveModel = before.clone().into();
    am.rule_text = Set(text.trim().to_string());
    am.version = Set(before.version + 1);
    am.updated_at = Set(now());
    let after = am.update(&txn).await?;
    record(
        &txn,
        who,
        "rule",
        "kpi",
        id,
        Some(json!({"version": before.version, "rule_text": before.rule_text})),
        Some(json!({"version": after.version, "rule_text": after.rule_text})),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The six MIRACLE KPIs with the seed's targets.
pub fn miracle_kpis() -> Vec<(&'static str, &'static str, &'static str, &'static str, i64, &'static str)> {
    vec![
        (
            "talents",
            "융합인재 양성",
            "Convergence talents trained",
            "talents",
            150,
            "count trainee\nwhere status = \"graduated\"",
        ),
        (
            "joint_courses",
            "공동교과목 개발",
            "Joint courses developed",
            "courses",
            16,
            "count course\nwhere joint is true",
        ),
        (
            "projects",
            "공동연구과제",
            "Collaborative research projects",
            "projects",
            80,
            "count project\nwhere status in [\"approved\", \"active\", \"completed\"]",
        ),
        (
            "sci_papers",
            "SCI(E)급 논문",
            "SCI-level papers",
            "papers",
            30,
            "count publication\nwhere sci_level is true\n  and consortium_author is true\n  and grant_acknowledged is true\ndistinct doi",
        ),
        (
            "patent_applications",
            "특허 출원",
            "Patent applications (filed)",
            "applications",
            22,
            "count patent_event\nwhere kind = \"filed\"",
        ),
        (
            "patent_registrations",
            "특허 등록",
            "Patent registrations (granted)",
            "registrations",
            8,
            "count patent_event\nwhere kind = \"registered\"",
        ),
    ]
}
