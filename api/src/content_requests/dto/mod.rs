//! The content request routes' JSON: the bodies clients send ([`bodies`]) and the rows the
//! queries answer with ([`rows`]).

mod bodies;
mod rows;

pub use bodies::*;
pub use rows::*;
