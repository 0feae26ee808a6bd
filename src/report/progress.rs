//! Progress on stderr while scanning: examples and images done, images/s, ETA by bytes read.

use std::io;

/// Progress on stderr while scanning: examples and images done, images/s, ETA by bytes read.
/// Drawn only when stderr is a terminal and not `--quiet`.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    examples: u64,
    images: u64,
    start: std::time::Instant,
}

impl Progress {
    pub fn new(total_bytes: u64, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total_bytes),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:32.cyan/blue} {percent:>3}%  {msg}  ETA {eta}",
            ) {
                b.set_style(style);
            }
            b
        });
        Progress {
            bar,
            examples: 0,
            images: 0,
            start: std::time::Instant::now(),
        }
    }

    pub fn example(&mut self, line_bytes: usize, images: usize) {
        self.examples += 1;
        self.images += images as u64;
        if let Some(b) = &self.bar {
            b.inc(line_bytes as u64);
            let rate = self.images as f64 / self.start.elapsed().as_secs_f64().max(1e-3);
            b.set_message(format!(
                "{} examples, {} images, {rate:.1} images/s",
                self.examples, self.images
            ));
        }
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
