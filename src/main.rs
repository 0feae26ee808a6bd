fn main() {
    std::process::exit(prescreen::cli::main());
}
