//! The learn screens in a browser.
