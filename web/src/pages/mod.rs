//! The pages, one module per screen.

pub mod lessons;
pub mod sign_in;
