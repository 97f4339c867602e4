//! Fabrique's domain: the types and rules of peer-learning programmes, free of any IO.
//!
//! Every value with a rule is a newtype whose only public constructor is `parse`, so that a
//! value of the type is valid by construction. Errors name a message id of the Fluent files
//! rather than carrying text, so that the web layer can speak French or English.

mod codes;
mod delegation;
mod email;
#[macro_use]
mod enums;
mod budget;
mod days;
mod invalid;
mod mail;
mod models;
mod money;
mod partial_date;
mod projects;
mod recruitment;
mod reference;
mod referentiel;
mod roster;
mod selection;
mod text;

pub use budget::*;
pub use codes::{DepartementCode, InseeCode, OfficialCode, RegionCode, Siren};
pub use days::*;
pub use delegation::{CategoryGap, DelegationStatus, delegation_status};
pub use email::Email;
pub use enums::{CarriedBy, CohortRole, Experience, OrganisationKind, Role, TerritoryKind};
pub use invalid::{FieldErrors, Invalid};
pub use mail::{MailAttachment, MailStatus, OutboxMessage, OutgoingMail};
pub use models::*;
pub use money::Cents;
pub use partial_date::{CalendarDate, PartialDate};
pub use projects::*;
pub use recruitment::*;
pub use reference::*;
pub use referentiel::*;
pub use roster::{RosterGroup, RosterPerson, groups_by_category, mixed_groups, move_person};
pub use selection::*;
pub use text::{LongText, Name, Quota, Slug, sort_key};
