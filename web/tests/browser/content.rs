//! The content screens in a browser.
