//! The audit screens in a browser.
