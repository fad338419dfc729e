//! The pages, one module per screen (or per role's group of screens).

pub mod admin;
pub mod analyst;
pub mod audit;
pub mod classes;
pub mod content;
pub mod learn;
pub mod lessons;
pub mod sign_in;
