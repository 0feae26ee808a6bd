//! ONNX Runtime sessions for the detectors: built once per worker thread (one intra-op
//! thread each measured fastest on 2 cores) and reused for every image that thread handles.

use crate::screen::models::ModelBytes;
use std::sync::{Mutex, OnceLock};

use anyhow::{anyhow, Result};
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

pub struct SessionPool {
    /// The embedded model is borrowed, not copied: every worker's session is built from it.
    model: ModelBytes,
    name: &'static str,
    /// One session for all threads, without an arena ([`SessionPool::shared`]).
    shared: bool,
    slots: Vec<OnceLock<Mutex<Session>>>,
}

impl SessionPool {
    /// `workers`: threads that will call [`SessionPool::with`] (a rayon pool's size).
    pub fn new(name: &'static str, model: ModelBytes, workers: usize) -> Result<SessionPool> {
        Self::build_pool(name, model, workers, false)
    }

    /// One session for every thread, without an arena: for models that run on small
    /// fixed-size inputs next to many others, where a session per worker would cost its
    /// weights again and an arena its activations for the whole run (about 115 MB a worker
    /// for the two policy models), and waiting for the other worker costs less.
    pub fn shared(name: &'static str, model: ModelBytes) -> Result<SessionPool> {
        Self::build_pool(name, model, 1, true)
    }

    fn build_pool(
        name: &'static str,
        model: ModelBytes,
        workers: usize,
        shared: bool,
    ) -> Result<SessionPool> {
        let pool = SessionPool {
            model,
            name,
            shared,
            // One slot per pool thread plus one shared by any thread outside the pool; a
            // shared pool has one slot for all.
            slots: (0..if shared { 1 } else { workers.max(1) + 1 })
                .map(|_| OnceLock::new())
                .collect(),
        };
        // Build the first worker's session now, so a broken model fails the run early and
        // clearly and the session is not wasted on a thread that never detects.
        let first = pool.build()?;
        let _ = pool.slots[0].set(Mutex::new(first));
        Ok(pool)
    }

    fn build(&self) -> Result<Session> {
        let configure = || -> std::result::Result<_, String> {
            Session::builder(super::runtime::environment().ok_or("ONNX Runtime is not loaded")?)
                .map_err(|e| e.to_string())?
                .with_optimization_level(GraphOptimizationLevel::All)
                .map_err(|e| e.to_string())?
                .with_intra_threads(1)
                .map_err(|e| e.to_string())?
                .with_inter_threads(1)
                .map_err(|e| e.to_string())?
                // The arena keeps the largest image's activations per session (peak RSS about
                // 1.7 GB on the dev set with 2 workers, against 1.1 GB without it) but runs the
                // dev set a third faster; input shapes vary, so memory patterns are useless.
                .with_memory_pattern(false)
                .map_err(|e| e.to_string())?
                .with_execution_providers([ort::ep::CPU::default()
                    .with_arena_allocator(!self.shared)
                    .build()])
                .map_err(|e| e.to_string())
        };
        configure()
            .map_err(|e| anyhow!("{}: cannot configure a session: {e}", self.name))?
            .commit_from_memory(&self.model)
            .map_err(|e| anyhow!("{}: cannot load the model: {e}", self.name))
    }

    /// Run `f` with this thread's session.
    pub fn with<T>(&self, f: impl FnOnce(&mut Session) -> Result<T>) -> Result<T> {
        let last = self.slots.len() - 1;
        let i = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let slot = match self.slots[i].get() {
            Some(s) => s,
            None => {
                let s = self.build()?;
                self.slots[i].get_or_init(|| Mutex::new(s))
            }
        };
        let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}
