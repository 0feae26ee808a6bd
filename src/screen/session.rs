//! ONNX Runtime sessions for the detectors: built once, reused for every image, one intra-op
//! thread each (measured fastest on 2 cores). ONNX Runtime's `Run` is not safe to call on one
//! session from two threads at once, so a session is used by one worker at a time.
//!
//! Two kinds of pool, by what a session costs against what waiting for one costs:
//! - [`SessionPool::per_worker`]: a session and an arena for each worker. For CenterFace, the
//!   cascade's largest share of time, whose inputs vary in size: an arena makes its runs fast,
//!   and workers never wait for one another.
//! - [`SessionPool::shared`]: one session for every [`WORKERS_PER_SHARED_SESSION`] workers,
//!   without an arena, taken by whichever worker finds one free. For the models that run on
//!   small fixed-size inputs: a session per worker would cost its weights and an arena its
//!   activations again on every worker for the whole run, and a short wait costs less.
//!   Measured on the development set at -j 2 (144 images): peak RSS 889 -> 690 MB, no slower.

use crate::screen::models::ModelBytes;
use crate::settings::WORKERS_PER_SHARED_SESSION;
use std::sync::{Mutex, OnceLock};

use anyhow::{anyhow, Result};
use ort::session::builder::{GraphOptimizationLevel, PrepackedWeights};
use ort::session::Session;

pub struct SessionPool {
    /// The embedded model is borrowed, not copied: every session is built from it.
    model: ModelBytes,
    name: &'static str,
    /// Sessions are shared by workers ([`SessionPool::shared`]), without an arena.
    shared: bool,
    /// The weights ONNX Runtime repacks for its kernels, packed once for all of this model's
    /// sessions instead of once per session.
    prepacked: PrepackedWeights,
    /// Built when first needed. A per-worker pool has one per pool thread plus one for any
    /// thread outside the pool.
    slots: Vec<OnceLock<Mutex<Session>>>,
}

impl SessionPool {
    /// A session for each of `workers` threads (a rayon pool's size), with an arena.
    pub fn per_worker(name: &'static str, model: ModelBytes, workers: usize) -> Result<Self> {
        Self::build_pool(name, model, workers.max(1) + 1, false)
    }

    /// One session for every [`WORKERS_PER_SHARED_SESSION`] of `workers`, without an arena.
    pub fn shared(name: &'static str, model: ModelBytes, workers: usize) -> Result<Self> {
        let sessions = workers.max(1).div_ceil(WORKERS_PER_SHARED_SESSION.max(1));
        Self::build_pool(name, model, sessions, true)
    }

    fn build_pool(
        name: &'static str,
        model: ModelBytes,
        slots: usize,
        shared: bool,
    ) -> Result<SessionPool> {
        let pool = SessionPool {
            model,
            name,
            shared,
            prepacked: PrepackedWeights::new(),
            slots: (0..slots).map(|_| OnceLock::new()).collect(),
        };
        // Build the first session now, so a broken model fails the run early and clearly.
        let first = pool.build()?;
        let _ = pool.slots[0].set(Mutex::new(first));
        Ok(pool)
    }

    /// Whether sessions keep an arena (and so accept arena shrinkage on a run).
    pub fn has_arena(&self) -> bool {
        !self.shared
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
                // The arena keeps the largest input's activations per session; input shapes
                // vary, so memory patterns are useless.
                .with_memory_pattern(false)
                .map_err(|e| e.to_string())?
                .with_execution_providers([ort::ep::CPU::default()
                    .with_arena_allocator(self.has_arena())
                    .build()])
                .map_err(|e| e.to_string())?
                .with_prepacked_weights(&self.prepacked)
                .map_err(|e| e.to_string())
        };
        let session = configure()
            .map_err(|e| anyhow!("{}: cannot configure a session: {e}", self.name))?
            .commit_from_memory(&self.model)
            .map_err(|e| anyhow!("{}: cannot load the model: {e}", self.name))?;
        // ONNX Runtime holds its own copy of the weights now; the embedded bytes would only
        // stay resident until the next session reads them again.
        crate::screen::models::release(&self.model);
        Ok(session)
    }

    fn slot(&self, i: usize) -> Result<&Mutex<Session>> {
        match self.slots[i].get() {
            Some(s) => Ok(s),
            None => {
                let s = self.build()?;
                Ok(self.slots[i].get_or_init(|| Mutex::new(s)))
            }
        }
    }

    /// Run `f` with a session: this thread's own, or in a shared pool the first free one
    /// (waiting for this thread's usual one when none is).
    pub fn with<T>(&self, f: impl FnOnce(&mut Session) -> Result<T>) -> Result<T> {
        let n = self.slots.len();
        let thread = rayon::current_thread_index();
        let home = match thread {
            Some(i) if self.shared => i % n,
            Some(i) => i.min(n - 1),
            None => n - 1,
        };
        if self.shared && n > 1 {
            for k in 0..n {
                let i = (home + k) % n;
                if let Ok(mut guard) = self.slot(i)?.try_lock() {
                    return f(&mut guard);
                }
            }
        }
        let mut guard = self.slot(home)?.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}
