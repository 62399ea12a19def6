//! The one set of migrations, for SQLite and PostgreSQL alike (sea-query writes each backend's DDL).

use sea_orm_migration::prelude::*;

mod helpers;
mod m0001_foundation;
mod m0002_funding;
mod m0003_education;
mod m0004_outputs;
mod m0005_kpi;
mod m0006_research;
mod m0007_patents;
mod m0008_project_milestones;
mod m0009_sci_journals;
mod m0010_commercialization;
mod m0011_author_candidates;
mod m0012_outcomes_and_plans;
mod m0013_national_scale;
mod m0014_roadmap;
mod m0015_import_indexes;
mod m0016_publication_roles_and_projects;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_funding::Migration),
            Box::new(m0003_education::Migration),
            Box::new(m0004_outputs::Migration),
            Box::new(m0005_kpi::Migration),
            Box::new(m0006_research::Migration),
            Box::new(m0007_patents::Migration),
            Box::new(m0008_project_milestones::Migration),
            Box::new(m0009_sci_journals::Migration),
            Box::new(m0010_commercialization::Migration),
            Box::new(m0011_author_candidates::Migration),
            Box::new(m0012_outcomes_and_plans::Migration),
            Box::new(m0013_national_scale::Migration),
            Box::new(m0014_roadmap::Migration),
            Box::new(m0015_import_indexes::Migration),
            Box::new(m0016_publication_roles_and_projects::Migration),
        ]
    }
}
