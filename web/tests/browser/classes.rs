//! The classes screens in a browser.
