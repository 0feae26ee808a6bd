//! The JSON report, streamed: header, then one example at a time, then the summary — so a
//! file of any size is reported in bounded memory.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::codes::Screen;
use crate::options::ScanOptions;
use crate::report::{ExampleReport, ReportOptions, Summary, SCHEMA_VERSION};

/// Streams the JSON report: header, then one example at a time, then the summary — so a file
/// of any size is reported in bounded memory.
pub struct JsonReport<W: Write> {
    out: W,
    first: bool,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Input<'a> {
    path: &'a Path,
    bytes: u64,
}

impl<W: Write> JsonReport<W> {
    pub fn begin(mut out: W, cfg: &ScanOptions, detectors: &[Screen]) -> Result<Self> {
        let input_bytes = fs::metadata(&cfg.input).map(|m| m.len()).unwrap_or(0);
        write!(out, "{{\"schema_version\":\"{SCHEMA_VERSION}\",\"tool\":")?;
        serde_json::to_writer(
            &mut out,
            &Tool {
                name: "prescreen",
                version: env!("CARGO_PKG_VERSION"),
            },
        )?;
        write!(out, ",\"provider\":")?;
        serde_json::to_writer(&mut out, &cfg.profile.name)?;
        write!(out, ",\"profile\":")?;
        serde_json::to_writer(&mut out, cfg.profile)?;
        write!(out, ",\"input\":")?;
        serde_json::to_writer(
            &mut out,
            &Input {
                path: &cfg.input,
                bytes: input_bytes,
            },
        )?;
        write!(out, ",\"options\":")?;
        serde_json::to_writer(
            &mut out,
            &ReportOptions {
                offline: cfg.offline,
                full_decode: cfg.full_decode,
                allow_private_urls: cfg.fetch.allow_private,
                detectors: detectors.to_vec(),
                explain: Some(cfg.screen.explain),
                thresholds: Some(cfg.screen.settings.thresholds()),
            },
        )?;
        write!(out, ",\"examples\":[")?;
        Ok(JsonReport { out, first: true })
    }

    /// Start a report with header fields already written once (`prescreen merge` passes on
    /// its parts' header exactly as the scans wrote it).
    pub fn begin_with_header(
        mut out: W,
        header: &[(String, Box<serde_json::value::RawValue>)],
    ) -> Result<Self> {
        out.write_all(b"{")?;
        for (key, value) in header {
            serde_json::to_writer(&mut out, key)?;
            write!(out, ":{},", value.get())?;
        }
        write!(out, "\"examples\":[")?;
        Ok(JsonReport { out, first: true })
    }

    pub fn example(&mut self, r: &ExampleReport) -> Result<()> {
        if !self.first {
            self.out.write_all(b",\n")?;
        } else {
            self.out.write_all(b"\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, r)?;
        Ok(())
    }

    pub fn finish(mut self, summary: &Summary) -> Result<W> {
        write!(self.out, "\n],\"summary\":")?;
        serde_json::to_writer_pretty(&mut self.out, summary)?;
        writeln!(self.out, "}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
