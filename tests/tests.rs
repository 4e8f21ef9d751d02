//! End-to-end tests: the real binary, a temp HOME and environment, the fake Kaggle API
//! on 127.0.0.1. One test binary, one link step.

mod support;

mod action;
mod behaviours;
mod client_versions;
mod demo;
mod detection;
mod discovery;
mod docs;
mod exit_codes;
mod findings;
mod first_run;
mod json_report;
mod malformed;
mod matrix;
mod oracle;
mod output;
mod precedence;
mod real_answers;
mod reports;
mod scenarios;
mod tls_trust;
mod trust;
