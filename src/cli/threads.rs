//! The threads that check files in parallel: rayon's pool, with this thread as one of its workers,
//! started once a run has more than one thing to do.
//!
//! A new thread is queued on the CPU of the thread that made it (on the benchmark's machine, in 60
//! runs of 60 of a small C program), and runs there only when that CPU is free, or when Linux's
//! balancing moves it, a millisecond or more later. rayon's `build_global` waits until its threads
//! run: this thread sleeps so that the new one can, and the two then share one CPU until one of
//! them is moved. Here nothing waits: the pool is built without waiting, this thread gives up its
//! CPU once, and each new thread moves itself off that CPU before it takes any work ([`leave_cpu`])
//! while this thread starts on the files. Measured in bench/RESULTS.md ("Fourteenth pass").

/// The threads that check files, started the first time there is more than one thing to do (one
/// file starts none), at most once a run.
pub struct Workers {
    threads: Option<usize>,
    started: std::cell::OnceCell<bool>,
}

/// Most threads `--threads` starts: more only cost memory and start-up (a thread per file of a
/// large walk would be thousands), and the output is the same for any number.
pub const MAX_THREADS: usize = 256;

impl Workers {
    /// `threads`: `--threads` (held to 1 to [`MAX_THREADS`]), or `None` for one per core (or
    /// `RAYON_NUM_THREADS`).
    pub fn new(threads: Option<usize>) -> Workers {
        Workers { threads, started: std::cell::OnceCell::new() }
    }

    /// Are the threads running? Threads that cannot start leave the work to this one (the output
    /// is the same), and `--threads 1` starts none: the work is done in a plain loop.
    pub fn ready(&self) -> bool {
        *self.started.get_or_init(|| {
            if self.threads == Some(1) {
                return false;
            }
            start(self.threads).map_err(|e| eprintln!("apig-lint: {e}; checking on one thread")).is_ok()
        })
    }
}

/// Starts the pool. This thread is one of its threads, so `n` threads start `n - 1` new ones, and
/// the parallel iterators this thread runs from now on go to the pool. The pool is never dropped:
/// like a global pool, it lives until the process exits.
fn start(threads: Option<usize>) -> Result<(), String> {
    let threads = threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .use_current_thread()
        .spawn_handler(|thread| {
            let from = current_cpu();
            std::thread::Builder::new().spawn(move || {
                leave_cpu(from);
                thread.run();
            })?;
            Ok(())
        })
        .build()
        .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    std::mem::forget(pool);
    // The new threads are queued on this CPU: let them run, each only to move away.
    std::thread::yield_now();
    Ok(())
}

/// The CPU this thread runs on, where the system says.
fn current_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    return Some(rustix::thread::sched_getcpu());
    #[cfg(not(target_os = "linux"))]
    None
}

/// Moves this (new) thread off `from`, the CPU of the thread that made it, if it is still there
/// and may run elsewhere: it asks to run anywhere it may but there, which moves it at once, then
/// gives its allowed CPUs back, so that the system places it freely from then on. Anything that
/// fails leaves the thread where it is (it then starts working later, never differently).
#[cfg(target_os = "linux")]
fn leave_cpu(from: Option<usize>) {
    use rustix::thread::{sched_getaffinity, sched_setaffinity};
    let Some(from) = from.filter(|&cpu| current_cpu() == Some(cpu)) else { return };
    let Ok(allowed) = sched_getaffinity(None) else { return };
    let Some(elsewhere) = all_but(&allowed, from) else { return };
    if sched_setaffinity(None, &elsewhere).is_ok() {
        let _ = sched_setaffinity(None, &allowed);
    }
}

#[cfg(not(target_os = "linux"))]
fn leave_cpu(_from: Option<usize>) {}

/// The CPUs of `allowed` but `cpu`, if there are any.
#[cfg(target_os = "linux")]
fn all_but(allowed: &rustix::thread::CpuSet, cpu: usize) -> Option<rustix::thread::CpuSet> {
    if cpu >= rustix::thread::CpuSet::MAX_CPU {
        return None;
    }
    let mut others = *allowed;
    others.unset(cpu);
    (others.count() > 0).then_some(others)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use rustix::thread::{CpuSet, sched_getaffinity};

    fn set(cpus: &[usize]) -> CpuSet {
        let mut set = CpuSet::new();
        cpus.iter().for_each(|&cpu| set.set(cpu));
        set
    }

    #[test]
    fn a_thread_leaves_for_any_other_allowed_cpu_and_stays_when_there_is_none() {
        assert_eq!(all_but(&set(&[0, 1]), 0), Some(set(&[1])));
        assert_eq!(all_but(&set(&[0, 2, 5]), 2), Some(set(&[0, 5])));
        // Only the maker's CPU allowed (`taskset -c 3`): nowhere else to go.
        assert_eq!(all_but(&set(&[3]), 3), None);
        // A CPU beyond what a set can name is left alone rather than indexed.
        assert_eq!(all_but(&set(&[0, 1]), CpuSet::MAX_CPU), None);
    }

    #[test]
    fn a_thread_that_leaves_keeps_the_cpus_it_was_allowed() {
        let outcome = std::thread::spawn(|| {
            let before = sched_getaffinity(None).ok();
            leave_cpu(current_cpu());
            // And from a CPU it is not on (nothing to do).
            leave_cpu(current_cpu().map(|cpu| cpu + 1));
            (before, sched_getaffinity(None).ok())
        })
        .join();
        let Ok((before, after)) = outcome else { panic!("the thread panicked") };
        assert!(before.is_some(), "this system reports no affinity");
        assert_eq!(before, after);
    }
}
