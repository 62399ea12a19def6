//! Organization pages: the consortium, institutions and units, the people directory.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::org as app;
use medist_app::{AppError, Caller};
use medist_core::access::{Action, Resource};
use medist_core::org::{
    APPOINTMENT_ROLES, AppointmentInput, INSTITUTION_KINDS, InstitutionInput, PersonInput, UNIT_KINDS, UnitInput,
};
use medist_db::entities::{consortium, institution, person};
use medist_db::org::{ConsortiumOverview, ConsortiumUpdate, PeopleFilter};
use medist_db::{Page, Paged};
use serde::Deserialize;

use super::{FormState, Id, Layout, Pager, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type Fields = HashMap<String, String>;
type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consortium", get(my_consortium))
        .route("/consortia/{id}", get(consortium_page))
        .route("/consortia/{id}/edit", get(consortium_edit_page).post(consortium_edit))
        .route("/institutions", get(institutions_page).post(institution_create))
        .route("/institutions/new", get(institution_new_page))
        .route("/institutions/{id}", get(institution_page))
        .route("/institutions/{id}/edit", get(institution_edit_page).post(institution_edit))
        .route("/institutions/{id}/archive", post(institution_archive))
        .route("/institutions/{id}/units", post(unit_create))
        .route("/units/{id}/archive", post(unit_archive))
        .route("/people", get(people_page).post(person_create))
        .route("/people/new", get(person_new_page))
        .route("/people/{id}", get(person_page))
        .route("/people/{id}/edit", get(person_edit_page).post(person_edit))
        .route("/people/{id}/archive", post(person_archive))
        .route("/people/{id}/restore", post(person_restore))
        .route("/people/{id}/appointments", post(appointment_add))
        .route("/appointments/{id}/delete", post(appointment_remove))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

fn redirect_ok(path: &str, flash: &str) -> Response {
    Redirect::to(&format!("{path}?ok={flash}")).into_response()
}

// ---------------------------------------------------------------- consortium

#[derive(Template)]
#[template(path = "consortium.html")]
struct ConsortiumPage {
    l: Layout,
    o: ConsortiumOverview,
    can_edit: bool,
    can_read_people: bool,
}

async fn my_consortium(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let id = super::consortium_of(&ctx, &caller).await?;
    Ok(Redirect::to(&format!("/consortia/{id}")).into_response())
}

async fn consortium_page(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let o = app::overview(&ctx.st.db, &caller, id, today()).await?;
    let can_edit = caller.can(Action::Update, Resource::Consortium { consortium_id: id });
    let can_read_people =
        caller.can(Action::Read, Resource::Person { consortium_id: Some(id), institution_id: None, person_id: None });
    Ok(page(&ConsortiumPage {
        l: Layout::from_ctx(&ctx, "consortium-title", "nav-consortium"),
        o,
        can_edit,
        can_read_people,
    }))
}

#[derive(Template)]
#[template(path = "consortium_edit.html")]
struct ConsortiumEditPage {
    l: Layout,
    c: consortium::Model,
    f: FormState,
    people: Vec<person::Model>,
}

async fn consortium_form_page(ctx: &Ctx, caller: &Caller, id: i64, f: FormState) -> PageResult {
    let o = app::overview(&ctx.st.db, caller, id, today()).await?;
    caller.require(Action::Update, Resource::Consortium { consortium_id: id })?;
    let people = medist_db::org::list_people(
        &ctx.st.db,
        &PeopleFilter { consortium_id: Some(id), ..Default::default() },
        Page::new(Some(1), Some(500)),
    )
    .await?
    .items;
    let status = f.status();
    Ok((
        status,
        page(&ConsortiumEditPage {
            l: Layout::from_ctx(ctx, "consortium-edit-title", "nav-consortium"),
            c: o.consortium,
            f,
            people,
        }),
    )
        .into_response())
}

async fn consortium_edit_page(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let c = medist_db::org::get_consortium(&ctx.st.db, id).await?;
    let f = FormState::new(ctx.lang)
        .with("name_ko", c.name_ko)
        .with("name_en", c.name_en)
        .with("full_name_en", c.full_name_en)
        .with("period_start_year", c.period_start_year.to_string())
        .with("period_end_year", c.period_end_year.to_string())
        .with("director_person_id", c.director_person_id.map(|d| d.to_string()).unwrap_or_default());
    consortium_form_page(&ctx, &caller, id, f).await
}

async fn consortium_edit(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let mut errs = medist_core::FieldErrors::new();
    let year = |k: &str, errs: &mut medist_core::FieldErrors| {
        get(k).trim().parse::<i32>().unwrap_or_else(|_| {
            errs.add(k, "invalid-year");
            0
        })
    };
    let start = year("period_start_year", &mut errs);
    let end = year("period_end_year", &mut errs);
    let director = match get("director_person_id").trim() {
        "" => None,
        s => s.parse::<i64>().ok().or_else(|| {
            errs.add("director_person_id", "invalid-id");
            None
        }),
    };
    let f = FormState::from_values(ctx.lang, v.clone());
    let result = if errs.is_empty() {
        let u = ConsortiumUpdate {
            name_ko: get("name_ko"),
            name_en: get("name_en"),
            full_name_en: get("full_name_en"),
            period_start_year: start,
            period_end_year: end,
            director_person_id: director,
        };
        app::update_consortium(&ctx.st.db, &caller, id, u).await.map(|_| ())
    } else {
        Err(AppError::Invalid(errs))
    };
    match result {
        Ok(()) => Ok(redirect_ok(&format!("/consortia/{id}"), "saved")),
        Err(e) => consortium_form_page(&ctx, &caller, id, f.fail(e)?).await,
    }
}

// ---------------------------------------------------------------- institutions

#[derive(Template)]
#[template(path = "institutions.html")]
struct InstitutionsPage {
    l: Layout,
    items: Vec<institution::Model>,
    can_create: bool,
}

async fn institutions_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let items = app::list_institutions(&ctx.st.db, &caller, cid).await?;
    let can_create = caller.can(Action::Create, Resource::Institution { consortium_id: cid, institution_id: None });
    Ok(page(&InstitutionsPage {
        l: Layout::from_ctx(&ctx, "institutions-title", "nav-institutions"),
        items,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "institution_form.html")]
struct InstitutionFormPage {
    l: Layout,
    f: FormState,
    action: String,
    kinds: Vec<&'static str>,
}

fn institution_form(ctx: &Ctx, title: &str, action: String, f: FormState) -> Response {
    let status = f.status();
    (
        status,
        page(&InstitutionFormPage {
            l: Layout::from_ctx(ctx, title, "nav-institutions"),
            f,
            action,
            kinds: INSTITUTION_KINDS.to_vec(),
        }),
    )
        .into_response()
}

async fn institution_new_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Institution { consortium_id: cid, institution_id: None })?;
    Ok(institution_form(&ctx, "institution-new-title", "/institutions".into(), FormState::new(ctx.lang)))
}

fn institution_input(v: &Fields) -> InstitutionInput {
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    InstitutionInput { name_ko: g("name_ko"), name_en: g("name_en"), short_name: g("short_name"), kind: g("kind") }
}

async fn institution_create(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    match app::create_institution(&ctx.st.db, &caller, cid, &institution_input(&v)).await {
        Ok(i) => Ok(redirect_ok(&format!("/institutions/{}", i.id), "created")),
        Err(e) => Ok(institution_form(
            &ctx,
            "institution-new-title",
            "/institutions".into(),
            FormState::from_values(ctx.lang, v).fail(e)?,
        )),
    }
}

#[derive(Template)]
#[template(path = "institution.html")]
struct InstitutionPage {
    l: Layout,
    d: app::InstitutionDetail,
    f: FormState,
    unit_kinds: Vec<&'static str>,
}

async fn institution_page(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let d = app::get_institution(&ctx.st.db, &caller, id).await?;
    let f = FormState::new(ctx.lang);
    Ok(page(&InstitutionPage {
        l: Layout::from_ctx(&ctx, "institution-title", "nav-institutions"),
        d,
        f,
        unit_kinds: UNIT_KINDS.to_vec(),
    }))
}

async fn institution_edit_page(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let d = app::get_institution(&ctx.st.db, &caller, id).await?;
    if !d.can_edit {
        return Err(AppError::Forbidden("forbidden").into());
    }
    let i = d.institution;
    let f = FormState::from_pairs(
        ctx.lang,
        &[("name_ko", &i.name_ko), ("name_en", &i.name_en), ("short_name", &i.short_name), ("kind", &i.kind)],
    );
    Ok(institution_form(&ctx, "institution-edit-title", format!("/institutions/{id}/edit"), f))
}

async fn institution_edit(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    match app::update_institution(&ctx.st.db, &caller, id, &institution_input(&v)).await {
        Ok(_) => Ok(redirect_ok(&format!("/institutions/{id}"), "saved")),
        Err(e) => Ok(institution_form(
            &ctx,
            "institution-edit-title",
            format!("/institutions/{id}/edit"),
            FormState::from_values(ctx.lang, v).fail(e)?,
        )),
    }
}

async fn institution_archive(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::archive_institution(&ctx.st.db, &caller, id).await?;
    Ok(redirect_ok("/institutions", "archived"))
}

async fn unit_create(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = UnitInput { name_ko: g("name_ko"), name_en: g("name_en"), kind: g("kind") };
    match app::create_unit(&ctx.st.db, &caller, id, &input).await {
        Ok(_) => Ok(redirect_ok(&format!("/institutions/{id}"), "created")),
        Err(e) => {
            let f = FormState::from_values(ctx.lang, v).fail(e)?;
            let d = app::get_institution(&ctx.st.db, &caller, id).await?;
            let status = f.status();
            Ok((
                status,
                page(&InstitutionPage {
                    l: Layout::from_ctx(&ctx, "institution-title", "nav-institutions"),
                    d,
                    f,
                    unit_kinds: UNIT_KINDS.to_vec(),
                }),
            )
                .into_response())
        }
    }
}

async fn unit_archive(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let u = app::archive_unit(&ctx.st.db, &caller, id).await?;
    Ok(redirect_ok(&format!("/institutions/{}", u.institution_id), "archived"))
}

// ---------------------------------------------------------------- people

#[derive(Deserialize, Default)]
struct PeopleQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    institution: String,
    #[serde(default)]
    archived: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    l: Layout,
    q: String,
    institution: String,
    archived: bool,
    institutions: Vec<institution::Model>,
    inst_names: HashMap<i64, String>,
    people: Paged<person::Model>,
    pager: Pager,
    can_create: bool,
}

async fn people_page(ctx: Ctx, Query(q): Query<PeopleQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let institution_id = q.institution.parse::<i64>().ok();
    let archived = q.archived == "1";
    let filter =
        PeopleFilter { q: Some(q.q.clone()), institution_id, include_archived: archived, ..Default::default() };
    let people = app::list_people(&ctx.st.db, &caller, cid, filter, Page::new(q.page, Some(50))).await?;
    let institutions = app::list_institutions(&ctx.st.db, &caller, cid).await?;
    let inst_names = institutions.iter().map(|i| (i.id, i.short_name.clone())).collect();
    let can_create = institutions.iter().any(|i| {
        caller.can(
            Action::Create,
            Resource::Person { consortium_id: Some(cid), institution_id: Some(i.id), person_id: None },
        )
    });
    let pager = Pager::new(
        ctx.lang,
        "/people",
        &[("q", q.q.clone()), ("institution", q.institution.clone()), ("archived", q.archived.clone())],
        &people,
    );
    Ok(page(&PeoplePage {
        l: Layout::from_ctx(&ctx, "people-title", "nav-people"),
        q: q.q,
        institution: q.institution,
        archived,
        institutions,
        inst_names,
        people,
        pager,
        can_create,
    }))
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    l: Layout,
    f: FormState,
    action: String,
    institutions: Vec<institution::Model>,
    units: Vec<(i64, i64, String)>,
}

async fn person_form(ctx: &Ctx, caller: &Caller, title: &str, action: String, f: FormState) -> PageResult {
    let cid = super::consortium_of(ctx, caller).await?;
    let institutions: Vec<institution::Model> = app::list_institutions(&ctx.st.db, caller, cid)
        .await?
        .into_iter()
        .filter(|i| {
            caller.can(
                Action::Create,
                Resource::Person { consortium_id: Some(cid), institution_id: Some(i.id), person_id: None },
            ) || f.v("institution_id") == i.id.to_string()
        })
        .collect();
    let mut units = Vec::new();
    for i in &institutions {
        for u in medist_db::org::list_units(&ctx.st.db, i.id, false).await? {
            let name = format!("{} · {}", i.short_name, ctx_pick(ctx, &u.name_ko, &u.name_en));
            units.push((u.id, i.id, name));
        }
    }
    let status = f.status();
    Ok((
        status,
        page(&PersonFormPage { l: Layout::from_ctx(ctx, title, "nav-people"), f, action, institutions, units }),
    )
        .into_response())
}

fn ctx_pick<'a>(ctx: &Ctx, ko: &'a str, en: &'a str) -> &'a str {
    match ctx.lang {
        medist_core::locale::Locale::Ko => ko,
        medist_core::locale::Locale::En => en,
    }
}

fn person_input(v: &Fields) -> PersonInput {
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    PersonInput {
        name_ko: g("name_ko"),
        name_en: g("name_en"),
        email: g("email"),
        orcid: g("orcid"),
        institution_id: g("institution_id"),
        unit_id: g("unit_id"),
    }
}

async fn person_new_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let insts = app::list_institutions(&ctx.st.db, &caller, cid).await?;
    if !insts.iter().any(|i| {
        caller.can(
            Action::Create,
            Resource::Person { consortium_id: Some(cid), institution_id: Some(i.id), person_id: None },
        )
    }) {
        return Err(AppError::Forbidden("forbidden").into());
    }
    person_form(&ctx, &caller, "person-new-title", "/people".into(), FormState::new(ctx.lang)).await
}

async fn person_create(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    match app::create_person(&ctx.st.db, &caller, &person_input(&v)).await {
        Ok(p) => Ok(redirect_ok(&format!("/people/{}", p.id), "created")),
        Err(e) => {
            person_form(
                &ctx,
                &caller,
                "person-new-title",
                "/people".into(),
                FormState::from_values(ctx.lang, v).fail(e)?,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    l: Layout,
    d: app::PersonDetail,
    f: FormState,
    roles: Vec<&'static str>,
    can_manage_appointments: bool,
}

async fn person_detail_page(ctx: &Ctx, caller: &Caller, id: i64, f: FormState) -> PageResult {
    let d = app::get_person(&ctx.st.db, caller, id).await?;
    let cid = medist_db::org::consortium_of_institution(&ctx.st.db, d.person.institution_id).await?;
    let can_manage_appointments = caller.can(
        Action::Create,
        Resource::Person { consortium_id: cid, institution_id: Some(d.person.institution_id), person_id: None },
    );
    let status = f.status();
    Ok((
        status,
        page(&PersonPage {
            l: Layout::from_ctx(ctx, "person-title", "nav-people"),
            d,
            f,
            roles: APPOINTMENT_ROLES.to_vec(),
            can_manage_appointments,
        }),
    )
        .into_response())
}

async fn person_page(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let f = FormState::new(ctx.lang).with("fte_percent", "100");
    person_detail_page(&ctx, &caller, id, f).await
}

async fn person_edit_page(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let d = app::get_person(&ctx.st.db, &caller, id).await?;
    if !d.can_edit {
        return Err(AppError::Forbidden("forbidden").into());
    }
    let p = d.person;
    let f = FormState::new(ctx.lang)
        .with("name_ko", p.name_ko)
        .with("name_en", p.name_en)
        .with("email", p.email)
        .with("orcid", p.orcid.unwrap_or_default())
        .with("institution_id", p.institution_id.to_string())
        .with("unit_id", p.unit_id.map(|u| u.to_string()).unwrap_or_default());
    person_form(&ctx, &caller, "person-edit-title", format!("/people/{id}/edit"), f).await
}

async fn person_edit(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    match app::update_person(&ctx.st.db, &caller, id, &person_input(&v)).await {
        Ok(_) => Ok(redirect_ok(&format!("/people/{id}"), "saved")),
        Err(e) => {
            person_form(
                &ctx,
                &caller,
                "person-edit-title",
                format!("/people/{id}/edit"),
                FormState::from_values(ctx.lang, v).fail(e)?,
            )
            .await
        }
    }
}

async fn person_archive(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::set_person_archived(&ctx.st.db, &caller, id, true).await?;
    Ok(redirect_ok(&format!("/people/{id}"), "archived"))
}

async fn person_restore(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::set_person_archived(&ctx.st.db, &caller, id, false).await?;
    Ok(redirect_ok(&format!("/people/{id}"), "restored"))
}

async fn appointment_add(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = AppointmentInput {
        role: g("role"),
        faculty_category: g("faculty_category"),
        dedicated: matches!(g("dedicated").as_str(), "on" | "true" | "1"),
        fte_percent: g("fte_percent"),
        start_date: g("start_date"),
        end_date: g("end_date"),
    };
    match app::add_appointment(&ctx.st.db, &caller, id, &input).await {
        Ok(_) => Ok(redirect_ok(&format!("/people/{id}"), "saved")),
        Err(e) => {
            let f = FormState::from_values(ctx.lang, v).fail(e)?;
            person_detail_page(&ctx, &caller, id, f).await
        }
    }
}

async fn appointment_remove(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let a = medist_db::org::get_appointment(&ctx.st.db, id).await?;
    app::remove_appointment(&ctx.st.db, &caller, id).await?;
    Ok(redirect_ok(&format!("/people/{}", a.person_id), "deleted"))
}
