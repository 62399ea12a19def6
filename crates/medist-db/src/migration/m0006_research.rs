//! Research and translation: unmet clinical needs and their screening, collaborative projects with gate
//! reviews, IRB approvals, the research data catalog and access requests, the joint institute's rooms and
//! equipment bookings, and in-application notifications.
//!
//! Equipment bookings cannot overlap: PostgreSQL enforces it with an exclusion constraint over
//! `(int8range(equipment_id), tstzrange(start_at, end_at))` (core GiST range operators, no extension), SQLite
//! with a trigger that runs inside the writer's `BEGIN IMMEDIATE` transaction, so two parallel requests can
//! never both succeed. (Generated from a table list; each table also has an entity in `entities/`.)

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::helpers::{a, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables in creation order (a table only refers to tables before it, or to itself).
pub const TABLES: [&str; 19] = [
    "project",
    "project_member",
    "project_event",
    "irb_approval",
    "need",
    "need_transition",
    "screening_round",
    "screening_panelist",
    "screening_entry",
    "screening_score",
    "dataset",
    "data_access_request",
    "data_access_transition",
    "room",
    "space_allocation",
    "equipment",
    "booking",
    "person_keyword",
    "notification",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("project"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("code")))
                .col(string(a("title_ko")))
                .col(string(a("title_en")))
                .col(string(a("aim")))
                .col(string(a("track")))
                .col(string(a("status")))
                .col(string(a("stage")))
                .col(boolean(a("uses_human_data")))
                .col(text(a("summary")))
                .col(date_null(a("start_on")))
                .col(date_null(a("end_on")))
                .col(date_null(a("next_gate_on")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk((a("project"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project", &["consortium_id", "code"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("project_member"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("project_id")))
                .col(big_integer(a("person_id")))
                .col(big_integer(a("institution_id")))
                .col(string(a("role")))
                .col(string(a("background")))
                .foreign_key(&mut fk((a("project_member"), a("project_id")), (a("project"), a("id"))))
                .foreign_key(&mut fk((a("project_member"), a("person_id")), (a("person"), a("id"))))
                .foreign_key(&mut fk((a("project_member"), a("institution_id")), (a("institution"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_member", &["project_id", "person_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("project_event"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("project_id")))
                .col(string(a("kind")))
                .col(string(a("from_status")))
                .col(string(a("to_status")))
                .col(string_null(a("from_stage")))
                .col(string_null(a("to_stage")))
                .col(string_null(a("decision")))
                .col(text(a("evidence")))
                .col(string_null(a("new_aim")))
                .col(string(a("actor")))
                .col(text(a("reason")))
                .col(timestamp_with_time_zone(a("at")))
                .foreign_key(&mut fk((a("project_event"), a("project_id")), (a("project"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_event", &["project_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("irb_approval"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("project_id")))
                .col(string(a("number")))
                .col(string(a("board")))
                .col(date(a("approved_on")))
                .col(date(a("expires_on")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("irb_approval"), a("project_id")), (a("project"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("irb_approval", &["project_id", "number"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("need"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(big_integer_null(a("institution_id")))
                .col(big_integer_null(a("submitted_by_user")))
                .col(string(a("submitter_name")))
                .col(string(a("title")))
                .col(text(a("problem")))
                .col(text(a("population")))
                .col(text(a("outcome")))
                .col(string(a("disease_area")))
                .col(text(a("clinical_setting")))
                .col(text(a("current_practice")))
                .col(text(a("evidence")))
                .col(string(a("urgency")))
                .col(string_null(a("track")))
                .col(string(a("state")))
                .col(big_integer_null(a("merged_into")))
                .col(big_integer_null(a("project_id")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk((a("need"), a("consortium_id")), (a("consortium"), a("id"))))
                .foreign_key(&mut fk((a("need"), a("institution_id")), (a("institution"), a("id"))))
                .foreign_key(&mut fk((a("need"), a("submitted_by_user")), (a("app_user"), a("id"))))
                .foreign_key(&mut fk((a("need"), a("project_id")), (a("project"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("need", &["consortium_id", "state"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("need_transition"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("need_id")))
                .col(string(a("from_state")))
                .col(string(a("to_state")))
                .col(string(a("actor")))
                .col(text(a("reason")))
                .col(big_integer_null(a("merged_into")))
                .col(timestamp_with_time_zone(a("at")))
                .foreign_key(&mut fk((a("need_transition"), a("need_id")), (a("need"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("need_transition", &["need_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("screening_round"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("name")))
                .col(text(a("criteria")))
                .col(integer(a("scale_min")))
                .col(integer(a("scale_max")))
                .col(double(a("disagreement_threshold")))
                .col(string(a("status")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("closed_at")))
                .foreign_key(&mut fk((a("screening_round"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("screening_panelist"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("round_id")))
                .col(big_integer(a("user_id")))
                .foreign_key(&mut fk((a("screening_panelist"), a("round_id")), (a("screening_round"), a("id"))))
                .foreign_key(&mut fk((a("screening_panelist"), a("user_id")), (a("app_user"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("screening_panelist", &["round_id", "user_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("screening_entry"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("round_id")))
                .col(big_integer(a("need_id")))
                .col(string_null(a("outcome")))
                .foreign_key(&mut fk((a("screening_entry"), a("round_id")), (a("screening_round"), a("id"))))
                .foreign_key(&mut fk((a("screening_entry"), a("need_id")), (a("need"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("screening_entry", &["round_id", "need_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("screening_score"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("round_id")))
                .col(big_integer(a("need_id")))
                .col(big_integer(a("reviewer_user_id")))
                .col(string(a("reviewer")))
                .col(string(a("criterion")))
                .col(integer(a("value")))
                .col(text(a("comment")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("screening_score"), a("round_id")), (a("screening_round"), a("id"))))
                .foreign_key(&mut fk((a("screening_score"), a("need_id")), (a("need"), a("id"))))
                .foreign_key(&mut fk((a("screening_score"), a("reviewer_user_id")), (a("app_user"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("screening_score", &["round_id", "need_id", "reviewer_user_id", "criterion"], true))
            .await?;
        m.create_table(
            Table::create()
                .table(a("dataset"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(big_integer(a("institution_id")))
                .col(string(a("name")))
                .col(string(a("kind")))
                .col(string(a("sensitivity")))
                .col(big_integer_null(a("steward_person_id")))
                .col(text(a("description")))
                .col(boolean(a("is_sample")))
                .foreign_key(&mut fk((a("dataset"), a("consortium_id")), (a("consortium"), a("id"))))
                .foreign_key(&mut fk((a("dataset"), a("institution_id")), (a("institution"), a("id"))))
                .foreign_key(&mut fk((a("dataset"), a("steward_person_id")), (a("person"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("dataset", &["consortium_id", "name"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("data_access_request"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(big_integer(a("project_id")))
                .col(big_integer(a("dataset_id")))
                .col(big_integer_null(a("requester_user_id")))
                .col(string(a("requester")))
                .col(text(a("purpose")))
                .col(boolean(a("pseudonymized")))
                .col(string(a("state")))
                .col(date_null(a("approved_on")))
                .col(date_null(a("valid_until")))
                .col(boolean(a("is_sample")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk((a("data_access_request"), a("consortium_id")), (a("consortium"), a("id"))))
                .foreign_key(&mut fk((a("data_access_request"), a("project_id")), (a("project"), a("id"))))
                .foreign_key(&mut fk((a("data_access_request"), a("dataset_id")), (a("dataset"), a("id"))))
                .foreign_key(&mut fk((a("data_access_request"), a("requester_user_id")), (a("app_user"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("data_access_request", &["consortium_id", "state"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("data_access_transition"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("request_id")))
                .col(string(a("from_state")))
                .col(string(a("to_state")))
                .col(string(a("actor")))
                .col(text(a("reason")))
                .col(date_null(a("valid_until")))
                .col(timestamp_with_time_zone(a("at")))
                .foreign_key(&mut fk(
                    (a("data_access_transition"), a("request_id")),
                    (a("data_access_request"), a("id")),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("data_access_transition", &["request_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("room"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("code")))
                .col(string(a("name")))
                .col(string(a("floor")))
                .col(big_integer(a("area_centi_m2")))
                .col(boolean(a("is_sample")))
                .foreign_key(&mut fk((a("room"), a("consortium_id")), (a("consortium"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("room", &["consortium_id", "code"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("space_allocation"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("room_id")))
                .col(string(a("group_name")))
                .col(big_integer(a("area_centi_m2")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("space_allocation"), a("room_id")), (a("room"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("space_allocation", &["room_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("equipment"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("consortium_id")))
                .col(string(a("code")))
                .col(string(a("name")))
                .col(big_integer_null(a("room_id")))
                .col(big_integer_null(a("institution_id")))
                .col(text(a("description")))
                .col(boolean(a("is_sample")))
                .foreign_key(&mut fk((a("equipment"), a("consortium_id")), (a("consortium"), a("id"))))
                .foreign_key(&mut fk((a("equipment"), a("room_id")), (a("room"), a("id"))))
                .foreign_key(&mut fk((a("equipment"), a("institution_id")), (a("institution"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("equipment", &["consortium_id", "code"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("booking"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("equipment_id")))
                .col(big_integer_null(a("booked_by_user")))
                .col(string(a("booked_by")))
                .col(string(a("purpose")))
                .col(timestamp_with_time_zone(a("start_at")))
                .col(timestamp_with_time_zone(a("end_at")))
                .col(timestamp_with_time_zone_null(a("cancelled_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk((a("booking"), a("equipment_id")), (a("equipment"), a("id"))))
                .foreign_key(&mut fk((a("booking"), a("booked_by_user")), (a("app_user"), a("id"))))
                .check(Expr::col(a("start_at")).lt(Expr::col(a("end_at"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("booking", &["equipment_id", "start_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("person_keyword"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("person_id")))
                .col(string(a("keyword")))
                .foreign_key(&mut fk((a("person_keyword"), a("person_id")), (a("person"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("person_keyword", &["person_id", "keyword"], true)).await?;
        m.create_table(
            Table::create()
                .table(a("notification"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("user_id")))
                .col(string(a("kind")))
                .col(string(a("subject_kind")))
                .col(big_integer(a("subject_id")))
                .col(text(a("detail")))
                .col(date_null(a("due_on")))
                .col(string(a("dedup_key")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("read_at")))
                .col(timestamp_with_time_zone_null(a("emailed_at")))
                .foreign_key(&mut fk((a("notification"), a("user_id")), (a("app_user"), a("id"))))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notification", &["user_id", "dedup_key"], true)).await?;
        let conn = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                conn.execute_unprepared(
                    "ALTER TABLE booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist \
                     (int8range(equipment_id, equipment_id, '[]') WITH &&, tstzrange(start_at, end_at) WITH &&) \
                     WHERE (cancelled_at IS NULL)",
                )
                .await?;
            }
            _ => {
                for sql in [
                    "CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON booking \
                     WHEN NEW.cancelled_at IS NULL AND EXISTS (SELECT 1 FROM booking b \
                     WHERE b.equipment_id = NEW.equipment_id AND b.cancelled_at IS NULL \
                     AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at) \
                     BEGIN SELECT RAISE(ABORT, 'booking_no_overlap'); END",
                    "CREATE TRIGGER booking_no_overlap_update BEFORE UPDATE OF start_at, end_at, equipment_id, \
                     cancelled_at ON booking \
                     WHEN NEW.cancelled_at IS NULL AND EXISTS (SELECT 1 FROM booking b \
                     WHERE b.id <> NEW.id AND b.equipment_id = NEW.equipment_id AND b.cancelled_at IS NULL \
                     AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at) \
                     BEGIN SELECT RAISE(ABORT, 'booking_no_overlap'); END",
                ] {
                    conn.execute_unprepared(sql).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
