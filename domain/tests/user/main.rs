//! The user aggregate's rules, each in the given/when/then shape, its stored events, its
//! reservations, the permission table, and that secrets never print.

mod changing_password;
mod changing_role;
mod deactivating;
mod event_payloads;
mod fixtures;
mod linking_parents;
mod permissions;
mod registering;
mod rejections;
mod reservations;
mod secrets;
