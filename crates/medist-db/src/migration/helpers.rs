//! Small builders the migrations share.

use sea_orm_migration::prelude::*;

/// A foreign key that refuses to delete a row still referred to.
pub fn fk<T: IntoIden + 'static, U: IntoIden + 'static>(from: (T, T), to: (U, U)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

/// A table or column name given as text (the migrations after m0005 name things this way).
pub fn a(s: &str) -> Alias {
    Alias::new(s)
}

/// An index named `ix_<table>_<cols>` (or `ux_…` when unique) over the named columns.
pub fn index(table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("{}_{}_{}", if unique { "ux" } else { "ix" }, table, cols.join("_"))).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}
