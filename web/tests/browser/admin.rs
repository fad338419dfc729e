//! The admin screens in a browser.
