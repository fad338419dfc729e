//! The agent pipeline against a real store (and, for the workers, real JetStream): a
//! request ends generated with every output reviewed, a redelivery changes nothing, review
//! sends bad parts back once, cancelled requests stop, dead requests are taken over.

mod review_paths;
mod supervisor;
mod support;
mod workers;
