//! Fabrique over HTTP: one test binary, one module per area, each test on a fresh database of
//! each backend, driven through the real router on a TCP port.

#![expect(clippy::unwrap_used, reason = "a failed step should stop the test with its error")]

#[macro_use]
mod support;

mod budgets;
mod days;
mod days_api;
mod organisations;
mod outbox;
mod people;
mod platform;
mod programmes;
mod recruitment;
mod reference;
mod referentiel;
mod sessions;
mod territories;
mod workshops;
