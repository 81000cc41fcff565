/*
 * enospc.c: an LD_PRELOAD shim that fills the disk under one directory,
 * for the tests of what ombre does when it cannot write (T215).
 *
 *	OMBRE_ENOSPC_DIR=/abs/data   what the "disk" holds (a path prefix)
 *	OMBRE_ENOSPC_FLAG=/abs/flag  the disk is full while this file exists
 *	OMBRE_ENOSPC_AFTER=N         optional: after N allocating calls under
 *	                             the dir (counted per process), create the
 *	                             flag: the disk fills at that point
 *	OMBRE_KILL_AT_RENAME=N       the process kills itself (SIGKILL) just
 *	                             before its Nth rename into a new/ folder
 *	                             under the dir (a Maildir delivery): a
 *	                             crash at an exact point, for T070 (no
 *	                             flag needed)
 *	OMBRE_KILL_AFTER_SPOOL=N     the process kills itself just after its
 *	                             Nth rename into a webhook/spool/ folder
 *	                             under the dir: a receiver that stored a
 *	                             payload and died before its 200 (T305)
 *
 * While full, what would need new space fails with ENOSPC, as a full
 * file system does: a write or pwrite that extends a file, creating a
 * file or a directory, a rename or link into the dir, growing a file with
 * ftruncate or fallocate. Overwriting bytes a file already has succeeds,
 * as it does on a full disk. Everything else (sockets, pipes, files
 * elsewhere) is never touched. Built without the sanitizers (make check
 * builds it with plain CFLAGS).
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long	enospc_count;
static long	kill_rename_count;

#define REAL(type, name, args) \
	static type (*real_##name) args; \
	if (real_##name == NULL) \
		real_##name = (type (*) args)dlsym(RTLD_NEXT, #name)

/* Is path (absolute, or relative to dirfd or the cwd) under the dir? */
static int
enospc_under(int dirfd, const char *path)
{
	const char	*dir = getenv("OMBRE_ENOSPC_DIR");
	char		 full[PATH_MAX * 2], base[PATH_MAX], link[64];
	ssize_t		 n;

	if (dir == NULL || *dir == '\0' || path == NULL)
		return 0;
	if (path[0] == '/')
		snprintf(full, sizeof full, "%s", path);
	else {
		if (dirfd == AT_FDCWD) {
			if (getcwd(base, sizeof base) == NULL)
				return 0;
		} else {
			snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
			n = readlink(link, base, sizeof base - 1);
			if (n < 0)
				return 0;
			base[n] = '\0';
		}
		snprintf(full, sizeof full, "%s/%s", base, path);
	}
	return strncmp(full, dir, strlen(dir)) == 0 &&
	    (full[strlen(dir)] == '/' || full[strlen(dir)] == '\0');
}

/* Is fd a regular file under the dir? */
static int
enospc_fd_under(int fd, struct stat *sb)
{
	char	link[64], path[PATH_MAX];
	ssize_t	n;

	if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode))
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	return enospc_under(AT_FDCWD, path);
}

/* An allocating call under the dir: is the disk full for it? */
static int
enospc_full(void)
{
	const char	*flag = getenv("OMBRE_ENOSPC_FLAG");
	const char	*after = getenv("OMBRE_ENOSPC_AFTER");
	int		 fd, saved = errno;

	if (flag == NULL || *flag == '\0')
		return 0;
	if (after != NULL && *after != '\0' &&
	    ++enospc_count > strtol(after, NULL, 10)) {
		fd = open(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd != -1)
			close(fd);
	}
	if (access(flag, F_OK) != 0) {
		errno = saved;
		return 0;
	}
	errno = ENOSPC;
	return 1;
}

/* Does a write of len bytes at off (-1: the fd's offset) grow the file? */
static int
enospc_grows(int fd, off_t off, size_t len)
{
	struct stat	sb;
	int		flags;

	if (len == 0 || !enospc_fd_under(fd, &sb))
		return 0;
	if (off < 0) {
		flags = fcntl(fd, F_GETFL);
		off = (flags != -1 && (flags & O_APPEND)) ? sb.st_size :
		    lseek(fd, 0, SEEK_CUR);
	}
	return off < 0 || off + (off_t)len > sb.st_size;
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	REAL(ssize_t, write, (int, const void *, size_t));
	if (enospc_grows(fd, -1, len) && enospc_full())
		return -1;
	return real_write(fd, buf, len);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
	if (enospc_grows(fd, off, len) && enospc_full())
		return -1;
	return real_pwrite(fd, buf, len, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	REAL(ssize_t, pwrite64, (int, const void *, size_t, off_t));
	if (enospc_grows(fd, off, len) && enospc_full())
		return -1;
	return real_pwrite64(fd, buf, len, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	size_t	len = 0;
	int	i;

	REAL(ssize_t, writev, (int, const struct iovec *, int));
	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (enospc_grows(fd, -1, len) && enospc_full())
		return -1;
	return real_writev(fd, iov, n);
}

/* Creating a file that is not there takes an inode and a dir entry. */
static int
enospc_creates(int dirfd, const char *path, int flags)
{
	struct stat	sb;

	if (!(flags & O_CREAT) || !enospc_under(dirfd, path))
		return 0;
	return fstatat(dirfd, path, &sb, 0) != 0;
}

/* The mode argument of an open that creates (in a variadic function). */
#define OPEN_MODE(flags, mode) do {					\
	va_list	ap;							\
	if ((flags) & (O_CREAT | O_TMPFILE)) {				\
		va_start(ap, flags);					\
		(mode) = (mode_t)va_arg(ap, int);			\
		va_end(ap);						\
	}								\
} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	REAL(int, open, (const char *, int, ...));
	OPEN_MODE(flags, mode);
	if (enospc_creates(AT_FDCWD, path, flags) && enospc_full())
		return -1;
	return real_open(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	REAL(int, open64, (const char *, int, ...));
	OPEN_MODE(flags, mode);
	if (enospc_creates(AT_FDCWD, path, flags) && enospc_full())
		return -1;
	return real_open64(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t	mode = 0;

	REAL(int, openat, (int, const char *, int, ...));
	OPEN_MODE(flags, mode);
	if (enospc_creates(dirfd, path, flags) && enospc_full())
		return -1;
	return real_openat(dirfd, path, flags, mode);
}

int
mkdir(const char *path, mode_t mode)
{
	struct stat	sb;

	REAL(int, mkdir, (const char *, mode_t));
	if (enospc_under(AT_FDCWD, path) && stat(path, &sb) != 0 &&
	    enospc_full())
		return -1;
	return real_mkdir(path, mode);
}

/* A delivery into the dir: is it the one to die before? */
static void
kill_at_rename(int dirfd, const char *to)
{
	const char	*at = getenv("OMBRE_KILL_AT_RENAME");

	if (at != NULL && *at != '\0' && strstr(to, "/new/") != NULL &&
	    enospc_under(dirfd, to) && ++kill_rename_count == strtol(at, NULL, 10))
		raise(SIGKILL);
}

static long	kill_spool_count;

/* After a rename that succeeded: die if it was the Nth into the spool. */
static int
kill_after_spool(int dirfd, const char *to, int rc)
{
	const char	*at = getenv("OMBRE_KILL_AFTER_SPOOL");

	if (rc == 0 && at != NULL && *at != '\0' &&
	    strstr(to, "/webhook/spool/") != NULL && enospc_under(dirfd, to) &&
	    ++kill_spool_count == strtol(at, NULL, 10))
		raise(SIGKILL);
	return rc;
}

int
rename(const char *from, const char *to)
{
	REAL(int, rename, (const char *, const char *));
	kill_at_rename(AT_FDCWD, to);
	if (enospc_under(AT_FDCWD, to) && enospc_full())
		return -1;
	return kill_after_spool(AT_FDCWD, to, real_rename(from, to));
}

int
renameat(int fromfd, const char *from, int tofd, const char *to)
{
	REAL(int, renameat, (int, const char *, int, const char *));
	kill_at_rename(tofd, to);
	if (enospc_under(tofd, to) && enospc_full())
		return -1;
	return kill_after_spool(tofd, to, real_renameat(fromfd, from, tofd,
	    to));
}

int
link(const char *from, const char *to)
{
	REAL(int, link, (const char *, const char *));
	if (enospc_under(AT_FDCWD, to) && enospc_full())
		return -1;
	return real_link(from, to);
}

int
ftruncate(int fd, off_t len)
{
	struct stat	sb;

	REAL(int, ftruncate, (int, off_t));
	if (enospc_fd_under(fd, &sb) && len > sb.st_size && enospc_full())
		return -1;
	return real_ftruncate(fd, len);
}

int
posix_fallocate(int fd, off_t off, off_t len)
{
	struct stat	sb;

	REAL(int, posix_fallocate, (int, off_t, off_t));
	if (enospc_fd_under(fd, &sb) && off + len > sb.st_size &&
	    enospc_full())
		return ENOSPC;
	return real_posix_fallocate(fd, off, len);
}
