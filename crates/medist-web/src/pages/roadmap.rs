//! The ten-year roadmap page: phases with goals per area and indicators (live ones with the records counted),
//! and the regional indicators; the program office adds phases and indicators.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::Form;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::roadmap::{self as app, RoadmapView};
use medist_db::roadmap::Goal;
use medist_performance::roadmap::{Area, IndicatorInput, Measure, PhaseInput};

use super::{FormState, Id, Layout, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/roadmap", get(roadmap_page))
        .route("/roadmap/phases", post(phase_add))
        .route("/roadmap/phases/{id}/indicators", post(indicator_add))
        .route("/roadmap/indicators/{id}/delete", post(indicator_delete))
}

#[derive(Template)]
#[template(path = "roadmap.html")]
struct RoadmapPage {
    l: Layout,
    v: RoadmapView,
    areas: Vec<&'static str>,
    measures: Vec<&'static str>,
    f: FormState,
}

impl RoadmapPage {
    fn err_in(&self, form: &str, field: &str) -> String {
        if self.f.v("form") == form { self.f.err(field) } else { String::new() }
    }
}

async fn view(ctx: &Ctx, f: FormState) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let v = app::roadmap(&ctx.st.db, &caller, cid).await?;
    let status = f.status();
    Ok((
        status,
        page(&RoadmapPage {
            l: Layout::from_ctx(ctx, "roadmap-title", "nav-roadmap"),
            v,
            areas: Area::ALL.iter().map(|a| a.as_str()).collect(),
            measures: Measure::ALL.iter().map(|m| m.as_str()).collect(),
            f,
        }),
    )
        .into_response())
}

async fn roadmap_page(ctx: Ctx) -> PageResult {
    view(&ctx, FormState::new(ctx.lang)).await
}

type Fields = HashMap<String, String>;

fn num(v: &Fields, k: &str) -> Option<i64> {
    v.get(k).map(|s| s.trim()).filter(|s| !s.is_empty()).map(|s| s.replace(',', "").parse().unwrap_or(-1))
}

async fn done<T>(ctx: &Ctx, form: &str, mut v: Fields, r: Result<T, medist_app::AppError>) -> PageResult {
    match r {
        Ok(_) => Ok(Redirect::to("/roadmap?ok=saved").into_response()),
        Err(e) => {
            v.insert("form".into(), form.into());
            view(ctx, FormState::from_values(ctx.lang, v).fail(e)?).await
        }
    }
}

/// The phase form: code, titles, years, `funded`, and one goal text per area (`goal_<area>`).
async fn phase_add(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let p = PhaseInput {
        code: g("code"),
        title_ko: g("title_ko"),
        title_en: g("title_en"),
        start_year: num(&v, "start_year").unwrap_or(0) as i32,
        end_year: num(&v, "end_year").unwrap_or(0) as i32,
        funded: v.contains_key("funded"),
    };
    let goals: Vec<Goal> = Area::ALL
        .iter()
        .filter_map(|a| {
            let text = g(&format!("goal_{}", a.as_str()));
            (!text.trim().is_empty()).then(|| Goal { area: a.as_str().into(), text_ko: text, text_en: String::new() })
        })
        .collect();
    let r = app::create_phase(&ctx.st.db, &caller, cid, &p, &goals).await;
    done(&ctx, "phase", v, r).await
}

async fn indicator_add(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let i = IndicatorInput {
        area: g("area"),
        name_ko: g("name_ko"),
        name_en: g("name_en"),
        unit: g("unit"),
        target: num(&v, "target"),
        measure: g("measure"),
        manual_value: num(&v, "manual_value"),
    };
    let r = app::add_indicator(&ctx.st.db, &caller, id, &i).await;
    done(&ctx, &format!("indicator-{id}"), v, r).await
}

async fn indicator_delete(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::delete_indicator(&ctx.st.db, &caller, id).await?;
    Ok(Redirect::to("/roadmap?ok=saved").into_response())
}
