//! The one way the binary reads a file it is given or finds (inputs, `--config`, `--baseline`,
//! discovered configurations): a regular file, at most a known number of bytes. A FIFO, a device
//! (`/dev/zero`) or a socket is refused without being read, so nothing blocks or fills memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Largest configuration file read.
pub const MAX_CONFIG: u64 = 1 << 20;
/// Largest baseline read.
pub const MAX_BASELINE: u64 = 64 << 20;

/// Whether the caller has just looked at the path and seen a regular file (the walk's directory
/// entry, the command line's `stat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Nothing is known yet: look before opening, so that nothing but a regular file is opened.
    Unknown,
    /// A regular file a moment ago (a directory entry's type): open at once, and look again at
    /// what was opened, for its size.
    RegularFile,
    /// A regular file of `len` bytes a moment ago (the `stat` of a path named on the command
    /// line): open at once and read without looking again. Opening does not block and reading
    /// stops past the limit, so a file swapped for a FIFO or a device since is still safe to
    /// read; it is then an error, or an oversized or odd input, not a hang.
    Stat { len: u64 },
}

/// The file's bytes, or `None` when it is larger than `limit` (then it is not read at all, or not
/// past `limit + 1` bytes if it grew). `name` is how messages refer to it.
pub fn regular_file(path: &Path, name: &str, limit: u64, seen: Seen) -> Result<Option<Vec<u8>>, String> {
    Opener::default().regular_file(path, name, limit, seen)
}

/// [`regular_file`] with the error as it is (a missing file is `NotFound`; anything but a regular
/// file is `InvalidInput`), for the library's API.
pub fn regular_bytes(path: &Path, limit: u64, seen: Seen) -> std::io::Result<Option<Vec<u8>>> {
    Opener::default().regular_bytes(path, limit, seen)
}

/// Opens the files of a run. Files of one directory, met one after another (a walk's files, a
/// shell's glob), are opened relative to that directory, which is opened once the second of them
/// comes: the kernel then looks up one name a file instead of every component of its path. On
/// the benchmark's 2,000 files, named by absolute paths six components deep, opening, reading
/// and closing took 3.79 to 3.84 µs a file that way against 4.17 to 4.34 µs (a C program, best
/// of 60 alternated runs). A directory met for a single file costs nothing more.
///
/// Only a directory reached through no symbolic link is held (the files of any other are opened
/// by their whole paths), and only a path shorter than the kernel's limit is opened in two
/// halves: what a path gives, its bytes or its error, is what opening it whole gives. Kept for one
/// run, or a part of one: a directory is held open only while its files keep coming. A directory
/// moved, replaced or closed to this user meanwhile is still read from as it was, as if its
/// remaining files had been read a moment earlier, until a file of another directory comes
/// between.
#[derive(Default)]
pub struct Opener {
    /// The directory of the last file opened (the bytes of its path before the last `/`), and
    /// that directory, opened once a second file of it came.
    #[cfg(target_os = "linux")]
    last: Option<(std::ffi::OsString, Directory)>,
}

/// The directory an [`Opener`] opens files from.
#[cfg(target_os = "linux")]
enum Directory {
    /// One file of it so far.
    NotOpened,
    Open(rustix::fd::OwnedFd),
    /// It could not be opened: its files are opened by their paths.
    Failed,
}

impl Opener {
    /// [`regular_file`], through this opener.
    pub fn regular_file(&mut self, path: &Path, name: &str, limit: u64, seen: Seen) -> Result<Option<Vec<u8>>, String> {
        self.regular_bytes(path, limit, seen).map_err(|e| format!("cannot read {name}: {e}"))
    }

    /// [`regular_bytes`], through this opener.
    pub fn regular_bytes(&mut self, path: &Path, limit: u64, seen: Seen) -> std::io::Result<Option<Vec<u8>>> {
        // Where opening cannot be made non-blocking, a FIFO swapped in since would block the open:
        // look first, whatever the caller saw.
        let seen = if NON_BLOCKING_OPEN { seen } else { Seen::Unknown };
        if seen == Seen::Unknown {
            let meta = std::fs::metadata(path)?;
            if !meta.is_file() {
                return Err(not_regular(&meta));
            }
            if meta.len() > limit {
                return Ok(None);
            }
        }
        let file = self.open(path)?;
        let len = match seen {
            Seen::Stat { len } => len,
            Seen::Unknown | Seen::RegularFile => {
                if let Some(bytes) = read_by_end(&file, limit)? {
                    return Ok(Some(bytes));
                }
                // What was opened may not be what was looked at a moment ago.
                let meta = file.metadata()?;
                if !meta.is_file() {
                    return Err(not_regular(&meta));
                }
                meta.len()
            }
        };
        read_open(file, len, limit)
    }

    /// Opens `path` (without blocking) and tells what it is; a regular file is read at once, up to
    /// `limit`. Only for paths named on the command line that carry a channel file's extension: a
    /// device is not opened by accident (`/dev/watchdog` acts when opened), since anything else is
    /// looked at with `stat` first, and a FIFO or a device named `*.json` is opened without blocking
    /// and refused unread. A path that cannot be opened is looked at with `stat` instead, so its
    /// error is the one a `stat` gives.
    pub fn named(&mut self, path: &Path, limit: u64) -> std::io::Result<Named> {
        // Where opening cannot be made non-blocking, a FIFO would block the open: look first.
        if !NON_BLOCKING_OPEN {
            return looked_at(&std::fs::metadata(path)?);
        }
        let file = match self.open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(e),
            Err(_) => return looked_at(&std::fs::metadata(path)?),
        };
        if let Some(bytes) = read_by_end(&file, limit)? {
            return Ok(Named::File(Some(bytes)));
        }
        let meta = file.metadata()?;
        if !meta.is_file() {
            return looked_at(&meta);
        }
        let len = meta.len();
        // A read that fails now is tried again by the reader, which reports it.
        Ok(read_open(file, len, limit).map_or(Named::Other(Seen::Stat { len }), Named::File))
    }

    /// Opens `path` for reading ([`open`]), relative to its directory when the last file came
    /// from the same one. Anything that fails that way is tried again by the path, so errors are
    /// what opening the path gives.
    #[cfg(target_os = "linux")]
    fn open(&mut self, path: &Path) -> std::io::Result<File> {
        use rustix::fs::{Mode, OFlags};
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        // A path the kernel refuses whole (`ENAMETOOLONG`) is not opened in two halves.
        if bytes.len() >= PATH_MAX {
            return open(path);
        }
        // `dir/name`, with a name that is a file's (not `.`, `..` or empty: `a.json/` and
        // `a.json/.` name no file) in a directory other than the root.
        let Some(slash) = bytes.iter().rposition(|&b| b == b'/') else { return open(path) };
        let (parent, name) = (&bytes[..slash], &bytes[slash + 1..]);
        if parent.is_empty() || matches!(name, b"" | b"." | b"..") {
            return open(path);
        }
        let parent = std::ffi::OsStr::from_bytes(parent);
        match &mut self.last {
            Some((last, directory)) if last.as_os_str() == parent => {
                if matches!(directory, Directory::NotOpened) {
                    // Only a directory reached through no symbolic link: the links the name then
                    // meets are all the path's, so the kernel's limit of them (`ELOOP`) falls
                    // where it would for the whole path.
                    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                    let no_links = rustix::fs::ResolveFlags::NO_SYMLINKS;
                    *directory = rustix::fs::openat2(rustix::fs::CWD, parent, flags, Mode::empty(), no_links)
                        .map_or(Directory::Failed, Directory::Open);
                }
                if let Directory::Open(dir) = directory {
                    let name = std::ffi::OsStr::from_bytes(name);
                    if let Ok(file) = rustix::fs::openat(&*dir, name, OPEN_FLAGS, Mode::empty()) {
                        return Ok(File::from(file));
                    }
                }
            }
            _ => self.last = Some((parent.to_owned(), Directory::NotOpened)),
        }
        open(path)
    }

    #[cfg(not(target_os = "linux"))]
    fn open(&mut self, path: &Path) -> std::io::Result<File> {
        open(path)
    }
}

/// The whole of an open regular file, told by where its end is rather than by a `stat` (which
/// fills and copies out a whole record): seeking to the end gives a regular file's size, and a
/// read from the start that asks for one byte more and gets exactly that many has read it all.
/// On the benchmark's 2,000 files, `--threads 1`: 18.33 to 17.17 ms of CPU (61 alternated runs);
/// a C program took 2.89 µs a file to open, size, read and close that way, 3.21 with a `stat`.
/// `None`, with the file as it was opened, for anything this does not settle, which the caller
/// then looks at with `stat`:
/// - an end that cannot be sought: a FIFO, a socket, a terminal;
/// - an end at 0: an empty file, and the devices whose end is always 0 (`/dev/null`, `/dev/zero`);
/// - an end past `limit`, or at a multiple of 512 bytes: a block device's end is its size, which
///   always is one, and a block device is refused, not read (one file in 512 is looked at first);
/// - a read that does not find the end there: a file of `/sys`, whose end is a page, or a file
///   that changed meanwhile.
///
/// A character device that can seek to an end elsewhere would be read as a file. None of the
/// common ones can: their end is 0, or they cannot seek (`/dev/tty`, `/dev/input/*`).
#[cfg(target_os = "linux")]
fn read_by_end(file: &File, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let Ok(end) = rustix::fs::seek(file, rustix::fs::SeekFrom::End(0)) else { return Ok(None) };
    let found = if end == 0 || end > limit || end % 512 == 0 {
        None
    } else {
        first_read(end, limit, |buffer| Ok(rustix::io::pread(file, buffer, 0)?))
            .ok()
            .filter(|bytes| bytes.len() as u64 == end)
    };
    if found.is_none() {
        rustix::fs::seek(file, rustix::fs::SeekFrom::Start(0))?;
    }
    Ok(found)
}

/// Elsewhere the size is always looked at with `stat`.
#[cfg(not(target_os = "linux"))]
fn read_by_end(_file: &File, _limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    Ok(None)
}

/// The rest of an open regular file of `len` bytes (as its `stat` said a moment ago), or `None`
/// when it is larger than `limit` (then it is not read at all, or not past `limit + 1` bytes if
/// it grew).
fn read_open(file: File, len: u64, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    if len > limit {
        return Ok(None);
    }
    // A regular file's read falls short only at its end, so a first read that returns exactly the
    // size just seen has found the end, and the second read that would confirm it (a system call
    // per file) is skipped. Anything else (the file grew or shrank since, a short read) goes on
    // reading to the end or past the limit.
    let mut bytes = first_read(len, limit, |buffer| read_some(&file, buffer))?;
    let first = bytes.len();
    if first as u64 != len {
        // Never more than `limit + 1` bytes in all.
        file.take(limit.saturating_add(1).saturating_sub(first as u64)).read_to_end(&mut bytes)?;
    }
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// What one `read` (retried if a signal interrupts it) gives of a file of `len` bytes, into room
/// for the whole file (at most `limit` bytes) and one byte more: a read that returns `len` bytes
/// has found the end.
fn first_read(
    len: u64,
    limit: u64,
    mut read: impl FnMut(&mut [u8]) -> std::io::Result<usize>,
) -> std::io::Result<Vec<u8>> {
    let size = usize::try_from(len.min(limit)).unwrap_or(usize::MAX).saturating_add(1);
    let mut bytes = zeroed(size);
    let first = loop {
        match read(&mut bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            done => break done?,
        }
    };
    bytes.truncate(first);
    Ok(bytes)
}

/// `size` zero bytes, zeroed here rather than by `vec![0; size]`: that asks glibc's `calloc`, which
/// never takes a block from the thread's cache of freed ones, so each file took the arena's lock
/// once a second thread existed; `malloc` does take them, and a clean file's text is freed just
/// after it is checked. (callgrind, 2,000 files: 0.57 M instructions fewer.)
#[expect(clippy::slow_vector_initialization, reason = "vec![0; n] is calloc, which skips glibc's thread cache")]
fn zeroed(size: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(size);
    bytes.resize(size, 0);
    bytes
}

/// What a path named on the command line turned out to be, looked at through one open: one
/// lookup of the path, where a `stat` and then an open were two (a tenth of the time of a run
/// over 2,000 named files went to the second lookup).
#[derive(Debug)]
pub enum Named {
    /// A directory, to walk.
    Directory,
    /// A regular file's bytes, or `None` when it is larger than the limit (not read).
    File(Option<Vec<u8>>),
    /// Anything else, for the reader to refuse when it comes to it, with what was seen of it: a
    /// FIFO, a device or a socket (`Unknown`), or a regular file that could not be read now
    /// (`Stat`: read again later, so any error is reported there, as for any file).
    Other(Seen),
}

/// [`Opener::named`] for what was looked at (a `stat` of the path, or of what was opened), nothing
/// read yet.
fn looked_at(meta: &std::fs::Metadata) -> std::io::Result<Named> {
    Ok(if meta.is_dir() {
        Named::Directory
    } else if meta.is_file() {
        Named::Other(Seen::Stat { len: meta.len() })
    } else {
        Named::Other(Seen::Unknown)
    })
}

/// [`regular_file`] as UTF-8 text, with a limit that is an error (a configuration or a baseline).
pub fn text(path: &Path, limit: u64) -> Result<String, String> {
    let name = path.display().to_string();
    let bytes = regular_file(path, &name, limit, Seen::Unknown)?
        .ok_or_else(|| format!("cannot read {name}: it is larger than {limit} bytes"))?;
    String::from_utf8(bytes).map_err(|e| format!("cannot read {name}: not UTF-8 ({e})"))
}

/// Reads at most `limit + 1` bytes: enough to tell an oversized input without holding it all.
pub fn limited(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut buffer)?;
    Ok(buffer)
}

fn not_regular(meta: &std::fs::Metadata) -> std::io::Error {
    let kind = if meta.is_dir() { "a directory" } else { "not a regular file (a FIFO, a device or a socket?)" };
    std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("it is {kind}"))
}

/// Does [`open`] set O_NONBLOCK on this target?
const NON_BLOCKING_OPEN: bool = cfg!(target_os = "linux");

// On Linux, a file is opened and read with rustix's system calls rather than through glibc's
// wrappers. Once a second thread exists, glibc brackets every call that is a cancellation point
// (`open`, `read`, `close`) with two atomic updates of the thread's cancellation state: with two
// threads over 2,000 files, `perf` put 0.3 ms of CPU time in `__pthread_enable_asynccancel` and
// `__pthread_disable_asynccancel` alone. Going around the wrappers gave 0.64 to 0.66 ms less CPU
// and 0.26 to 0.43 ms less wall time (static `dist` builds, alternated, 61 runs twice); one
// thread, which glibc does not bracket, was unchanged. Closing stays with the standard library
// (`File`'s drop): rustix's `close` is `unsafe`.

/// Opens for reading without waiting: should a FIFO be swapped in after the check, opening it
/// does not block for a writer.
#[cfg(target_os = "linux")]
fn open(path: &Path) -> std::io::Result<File> {
    Ok(File::from(rustix::fs::open(path, OPEN_FLAGS, rustix::fs::Mode::empty())?))
}

/// The longest path the kernel takes, with its terminating NUL (Linux's `PATH_MAX`).
#[cfg(target_os = "linux")]
const PATH_MAX: usize = 4096;

/// How [`open`] opens a file.
#[cfg(target_os = "linux")]
const OPEN_FLAGS: rustix::fs::OFlags =
    rustix::fs::OFlags::RDONLY.union(rustix::fs::OFlags::NONBLOCK).union(rustix::fs::OFlags::CLOEXEC);

/// Opens for reading (elsewhere a FIFO is looked at before it is opened: [`NON_BLOCKING_OPEN`]).
#[cfg(not(target_os = "linux"))]
fn open(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new().read(true).open(path)
}

/// One `read` of what is left of `file` into `buffer`.
#[cfg(target_os = "linux")]
fn read_some(file: &File, buffer: &mut [u8]) -> std::io::Result<usize> {
    Ok(rustix::io::read(file, buffer)?)
}

/// One `read` of what is left of `file` into `buffer`.
#[cfg(not(target_os = "linux"))]
fn read_some(mut file: &File, buffer: &mut [u8]) -> std::io::Result<usize> {
    file.read(buffer)
}

/// Are these two paths the same file (the same inode, so hard links and symlinks count)?
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        x.dev() == y.dev() && x.ino() == y.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (x, y);
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(p), Ok(q)) if p == q)
    }
}

#[cfg(test)]
mod tests {
    use super::{Seen, regular_bytes};

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("apig-lint-read-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A size seen by the caller is a hint, not a bound: a file that grew since is read whole, up
    /// to the limit, and past the limit it is oversized.
    #[test]
    fn a_stat_is_a_hint_and_the_limit_a_bound() {
        let dir = scratch("grew");
        let file = dir.join("a.json");
        std::fs::write(&file, "{\"name\": \"grown\"}").unwrap();
        let stale = Seen::Stat { len: 2 };
        assert_eq!(regular_bytes(&file, 100, stale).unwrap().as_deref(), Some(&b"{\"name\": \"grown\"}"[..]));
        assert_eq!(regular_bytes(&file, 5, stale).unwrap(), None);
        assert_eq!(regular_bytes(&file, 100, Seen::Stat { len: 101 }).unwrap(), None, "too large when seen");
        let shrunk = Seen::Stat { len: 90 };
        assert_eq!(regular_bytes(&file, 100, shrunk).unwrap().as_deref(), Some(&b"{\"name\": \"grown\"}"[..]));
        let exact = Seen::Stat { len: 17 };
        assert_eq!(regular_bytes(&file, 100, exact).unwrap().as_deref(), Some(&b"{\"name\": \"grown\"}"[..]));
        assert_eq!(regular_bytes(&file, 16, exact).unwrap(), None, "one byte over the limit");
        assert_eq!(regular_bytes(&file, 17, exact).unwrap().as_deref(), Some(&b"{\"name\": \"grown\"}"[..]));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Where its end is settles a regular file and nothing else: a file of a block device's size,
    /// an empty file, a device, a FIFO, a directory and a file of `/sys` are left to `stat`, with
    /// the file as it was opened, and each is still read (or refused) as before.
    #[test]
    #[cfg(target_os = "linux")]
    fn an_end_settles_only_a_regular_file() {
        use super::{Opener, open, read_by_end};
        let dir = scratch("end");
        let by_end = |path: &std::path::Path, limit| read_by_end(&open(path).unwrap(), limit).unwrap();
        for (len, settled) in [(1, true), (17, true), (511, true), (513, true), (0, false), (512, false), (1024, false)]
        {
            let file = dir.join(format!("{len}.json"));
            let text = "x".repeat(len);
            std::fs::write(&file, &text).unwrap();
            assert_eq!(by_end(&file, 2000).is_some(), settled, "{len} bytes");
            if settled {
                assert_eq!(by_end(&file, 2000).unwrap(), text.as_bytes());
            }
            if len > 0 {
                assert_eq!(by_end(&file, len as u64 - 1), None, "{len} bytes, one over the limit");
            }
            // Left to `stat` or not, the file is read whole, and an opener reads it alike.
            let read = regular_bytes(&file, 2000, Seen::RegularFile).unwrap();
            assert_eq!(read.as_deref(), Some(text.as_bytes()), "{len} bytes");
            assert_eq!(Opener::default().regular_bytes(&file, 2000, Seen::Unknown).unwrap(), read);
        }
        // What it leaves is as opened: the next read starts at the start.
        let file = open(&dir.join("512.json")).unwrap();
        assert_eq!(read_by_end(&file, 2000).unwrap(), None);
        let mut rest = Vec::new();
        std::io::Read::read_to_end(&mut &file, &mut rest).unwrap();
        assert_eq!(rest.len(), 512);
        for device in ["/dev/null", "/dev/zero"] {
            assert_eq!(by_end(std::path::Path::new(device), 2000), None, "{device}");
            assert!(regular_bytes(std::path::Path::new(device), 2000, Seen::RegularFile).is_err(), "{device} refused");
        }
        assert_eq!(read_by_end(&open(&dir).unwrap(), 1 << 40).unwrap(), None, "a directory");
        let fifo = dir.join("fifo.json");
        if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            assert_eq!(by_end(&fifo, 2000), None, "a FIFO");
        }
        // A file of /sys ends at a page, and holds less.
        let sys = std::path::Path::new("/sys/kernel/mm/transparent_hugepage/enabled");
        if let Ok(text) = std::fs::read(sys) {
            assert_eq!(by_end(sys, 1 << 20), None, "{}", sys.display());
            assert_eq!(regular_bytes(sys, 1 << 20, Seen::RegularFile).unwrap(), Some(text));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A named path is told apart by what was opened: a file is read (or not, past the limit),
    /// a directory is one, and a missing path is `NotFound`.
    #[test]
    fn a_named_path_is_what_opening_it_finds() {
        use super::{Named, Opener};
        let named = |path: &std::path::Path, limit| Opener::default().named(path, limit);
        let dir = scratch("named");
        let file = dir.join("a.json");
        std::fs::write(&file, "{}").unwrap();
        assert!(matches!(named(&file, 100).unwrap(), Named::File(Some(bytes)) if bytes == b"{}"));
        assert!(matches!(named(&file, 1).unwrap(), Named::File(None)), "over the limit, not read");
        assert!(matches!(named(&dir, 100).unwrap(), Named::Directory));
        let gone = named(&dir.join("gone.json"), 100).unwrap_err();
        assert_eq!(gone.kind(), std::io::ErrorKind::NotFound);
        #[cfg(target_os = "linux")]
        {
            let fifo = dir.join("fifo.json");
            if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
                assert!(matches!(named(&fifo, 100).unwrap(), Named::Other(Seen::Unknown)), "opened, not read");
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// An opener reads the files of a directory as reading each by its path does, and its errors
    /// are the path's: a missing file, and a path with a trailing `/` or `/.` after a file's name
    /// (which names no file, though the directory holds one of that name).
    #[test]
    fn an_opener_reads_what_the_paths_name() {
        use super::{Named, Opener};
        let dir = scratch("opener");
        let other = dir.join("other");
        std::fs::create_dir(&other).unwrap();
        for (i, d) in [&dir, &other].into_iter().enumerate() {
            for name in ["a.json", "b.json", "c.json"] {
                std::fs::write(d.join(name), format!("{{\"{name}\": {i}}}")).unwrap();
            }
        }
        let mut opener = Opener::default();
        for path in
            [dir.join("a.json"), dir.join("b.json"), other.join("a.json"), other.join("c.json"), dir.join("c.json")]
        {
            let bytes = opener.regular_bytes(&path, 100, Seen::RegularFile).unwrap();
            assert_eq!(bytes, Some(std::fs::read(&path).unwrap()), "{}", path.display());
            assert!(
                matches!(opener.named(&path, 100).unwrap(), Named::File(Some(b)) if b == std::fs::read(&path).unwrap())
            );
        }
        let gone = opener.named(&dir.join("gone.json"), 100).unwrap_err();
        assert_eq!(gone.kind(), std::io::ErrorKind::NotFound);
        for odd in ["a.json/", "a.json/."] {
            let path = std::path::PathBuf::from(format!("{}/{odd}", dir.display()));
            assert_eq!(
                opener.regular_bytes(&path, 100, Seen::RegularFile).map_err(|e| e.kind()),
                regular_bytes(&path, 100, Seen::RegularFile).map_err(|e| e.kind()),
            );
            assert!(opener.regular_bytes(&path, 100, Seen::RegularFile).is_err(), "{odd}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// What opening a path whole refuses, opening it in two halves refuses too: a path longer
    /// than the kernel takes (`ENAMETOOLONG`), and more symbolic links than it follows (`ELOOP`)
    /// counted over the directory and the name together.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_opener_refuses_what_the_whole_path_is_refused() {
        use super::Opener;
        let dir = scratch("opener-limits");
        let long_name = format!("{}.json", "n".repeat(200));
        for name in ["a.json", "b.json", &long_name] {
            std::fs::write(dir.join(name), "{}").unwrap();
        }
        // The same directory, named with slashes enough that the long name takes the whole path
        // past 4,096 bytes while the directory alone stays under.
        let parent = format!("{}{}", dir.display(), "/".repeat(4000 - dir.as_os_str().len()));
        let mut opener = Opener::default();
        for name in ["a.json", "b.json"] {
            let path = std::path::PathBuf::from(format!("{parent}/{name}"));
            assert_eq!(opener.regular_bytes(&path, 100, Seen::RegularFile).unwrap().as_deref(), Some(&b"{}"[..]));
        }
        let long = std::path::PathBuf::from(format!("{parent}/{long_name}"));
        let whole = regular_bytes(&long, 100, Seen::RegularFile).unwrap_err();
        let halves = opener.regular_bytes(&long, 100, Seen::RegularFile).unwrap_err();
        assert_eq!((halves.kind(), halves.raw_os_error()), (whole.kind(), whole.raw_os_error()));
        // 30 links to the directory, then 15 from one name to the next: 45 links in all.
        let real = dir.join("real");
        std::fs::create_dir(&real).unwrap();
        for name in ["a.json", "b.json", "t.json"] {
            std::fs::write(real.join(name), "{}").unwrap();
        }
        std::os::unix::fs::symlink(&real, dir.join("l1")).unwrap();
        for i in 2..=30 {
            std::os::unix::fs::symlink(dir.join(format!("l{}", i - 1)), dir.join(format!("l{i}"))).unwrap();
        }
        std::os::unix::fs::symlink("t.json", real.join("s1.json")).unwrap();
        for i in 2..=15 {
            std::os::unix::fs::symlink(format!("s{}.json", i - 1), real.join(format!("s{i}.json"))).unwrap();
        }
        let linked = dir.join("l30");
        for name in ["a.json", "b.json"] {
            assert!(opener.regular_bytes(&linked.join(name), 100, Seen::RegularFile).is_ok());
        }
        let deep = linked.join("s15.json");
        let whole = regular_bytes(&deep, 100, Seen::RegularFile).unwrap_err();
        let halves = opener.regular_bytes(&deep, 100, Seen::RegularFile).unwrap_err();
        assert_eq!((halves.kind(), halves.raw_os_error()), (whole.kind(), whole.raw_os_error()));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A directory is held from its second file on: one moved away meanwhile is read from as it
    /// was (as if its files had been read a moment earlier), until another directory's file comes.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_opener_holds_the_directory_of_its_files() {
        use super::Opener;
        let root = scratch("opener-held");
        let dir = root.join("d");
        std::fs::create_dir(&dir).unwrap();
        for name in ["a.json", "b.json", "c.json"] {
            std::fs::write(dir.join(name), format!("old {name}")).unwrap();
        }
        std::fs::write(root.join("e.json"), "elsewhere").unwrap();
        let mut opener = Opener::default();
        let read = |opener: &mut Opener, path: &std::path::Path| {
            opener.regular_bytes(path, 100, Seen::RegularFile).map(|b| String::from_utf8(b.unwrap()).unwrap())
        };
        assert_eq!(read(&mut opener, &dir.join("a.json")).unwrap(), "old a.json");
        assert_eq!(read(&mut opener, &dir.join("b.json")).unwrap(), "old b.json");
        std::fs::rename(&dir, root.join("d.old")).unwrap();
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("c.json"), "new c.json").unwrap();
        assert_eq!(read(&mut opener, &dir.join("c.json")).unwrap(), "old c.json", "the held directory");
        assert_eq!(read(&mut opener, &root.join("e.json")).unwrap(), "elsewhere");
        assert_eq!(read(&mut opener, &dir.join("c.json")).unwrap(), "new c.json", "looked up again");
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// What replaced a file since the caller looked is an error, never a hang or a read of a
    /// directory as text.
    #[test]
    fn a_file_swapped_for_a_directory_is_an_error() {
        let dir = scratch("swapped");
        let seen = Seen::Stat { len: 2 };
        assert!(regular_bytes(&dir, 100, seen).is_err());
        assert!(regular_bytes(&dir, 100, Seen::RegularFile).is_err());
        assert!(regular_bytes(&dir.join("gone.json"), 100, seen).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
