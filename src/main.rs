//! The `prescreen` binary: parse the command line into the library's options, run, and map
//! the outcome to an exit code. Everything it does is in the library.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
