//! The analyst screens in a browser.
