use std::process::ExitCode as ProcessExit;

use kaggle_auth_doctor::exit_codes::ExitCode;

fn main() -> ProcessExit {
    kaggle_auth_doctor::timings::start();
    let cli = match kaggle_auth_doctor::cli::parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::Usage.into() } else { ExitCode::Ok.into() };
        }
    };
    match kaggle_auth_doctor::run(cli) {
        Ok(code) => code.into(),
        Err(e) => {
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("error: {}\n", kaggle_auth_doctor::error_message(&e)),
            );
            ExitCode::of_error(&e).into()
        }
    }
}
