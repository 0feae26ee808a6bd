//! The command line: one clap struct per subcommand, each accepting only the flags it uses,
//! turned into the library's validated options before any work starts (ripgrep's way).

mod audit;
mod cache;
mod exit;
mod filter;
mod fix;
mod flags;
mod merge;
mod outputs;
mod scan;

use clap::{Parser, Subcommand};

pub use exit::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "prescreen",
    version,
    about = "Predict which images and examples a vision fine-tuning provider will skip, before you upload.",
    after_help = "Exit codes: 0 = the file will be accepted and meets the 10-example minimum (example-level policy);\n            1 = it will not (invalid lines, or too few examples left); 2 = usage or I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check every line and image of a fine-tuning JSONL file and predict what will be skipped.
    #[command(
        after_help = "Examples:\n  prescreen scan train.jsonl\n  prescreen scan train.jsonl --provider openai --json report.json\n  prescreen scan train.jsonl --offline --no-detect --json - | jq .summary"
    )]
    Scan(scan::ScanArgs),
    /// Write a copy of the dataset that will survive screening, and what was removed and why.
    #[command(
        after_help = "Examples:\n  prescreen filter train.jsonl -o clean.jsonl --rejected removed.jsonl\n  prescreen filter train.jsonl -o clean.jsonl --policy image\n  prescreen scan train.jsonl --json r.json && prescreen filter train.jsonl -o clean.jsonl --from-report r.json"
    )]
    Filter(filter::FilterArgs),
    /// Repair what the provider would skip for format reasons (colour mode, format, size, rotation).
    #[command(
        after_help = "Examples:\n  prescreen fix train.jsonl -o fixed.jsonl --changes changes.jsonl\n  prescreen fix train.jsonl -o fixed.jsonl --inline --detail low"
    )]
    Fix(fix::FixArgs),
    /// Compare the count the provider reported after upload with the prediction.
    #[command(
        after_help = "Examples:\n  prescreen audit train.jsonl --reported 412\n  prescreen audit train.jsonl --reported 412 --trained-tokens 1843200 --epochs 3 --from-report r.json"
    )]
    Audit(audit::AuditArgs),
    /// Put the reports of a sharded scan (`scan --shard K/N`) together into the whole scan's.
    #[command(
        after_help = "Examples:\n  prescreen scan train.jsonl --shard 1/2 --json p1.json   # on one machine\n  prescreen scan train.jsonl --shard 2/2 --json p2.json   # on another\n  prescreen merge p1.json p2.json --json report.json --html report.html"
    )]
    Merge(merge::MergeArgs),
    /// Show or empty the result cache (what re-scans of unchanged images are read from).
    #[command(
        after_help = "Examples:\n  prescreen cache stats\n  prescreen cache clear --cache /tmp/prescreen-cache"
    )]
    Cache(cache::CacheArgs),
}

/// Parse, validate, run; every outcome becomes an exit code here.
pub fn main() -> i32 {
    // An interrupted run leaves no half-written output behind: outputs are temporary files
    // until committed, and those are removed before the process ends (128 + SIGINT, as a
    // shell reports an interrupted command).
    let _ = ctrlc::set_handler(|| {
        prescreen::atomic::remove_temporaries();
        std::process::exit(130);
    });
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                ExitCode::Error
            } else {
                ExitCode::Ok
            };
            let _ = e.print();
            return code as i32;
        }
    };
    let result = match cli.command {
        Command::Scan(a) => scan::run(a),
        Command::Filter(a) => filter::run(a),
        Command::Fix(a) => fix::run(a),
        Command::Audit(a) => audit::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Cache(a) => cache::run(a),
    };
    exit::code(result) as i32
}
