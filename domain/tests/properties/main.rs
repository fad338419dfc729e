//! Properties of the domain's edges: every value type's `parse` takes arbitrary input
//! without panicking, what it accepts is stable (parsing the result again gives the same
//! value) and round-trips through JSON, and decoding stored events takes arbitrary
//! payloads without panicking.

mod events;
mod values;
