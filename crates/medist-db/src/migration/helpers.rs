//! Small builders the migrations share.

use sea_orm_migration::prelude::*;

/// A foreign key that refuses to delete a row still referred to.
pub fn fk<T: IntoIden + 'static, U: IntoIden + 'static>(from: (T, T), to: (U, U)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}
