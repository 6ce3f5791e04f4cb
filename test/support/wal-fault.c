/*
 * An injected I/O error on the SQLite WAL, for test/reliability/wal-io-error.test.ts. Loaded into the
 * server with LD_PRELOAD: while the file named by $WAL_FAULT_FILE exists, every write and sync on a
 * file whose name ends in "-wal" fails with EIO, as a failing disk would answer. Other files, and the
 * WAL once the trigger file is gone, are untouched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int is_failing_wal(int fd) {
  const char *trigger = getenv("WAL_FAULT_FILE");
  if (!trigger || access(trigger, F_OK) != 0) return 0;
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 4) return 0;
  path[n] = 0;
  return strcmp(path + n - 4, "-wal") == 0;
}

#define WRAP(ret, name, params, args)                        \
  ret name params {                                          \
    static ret(*real) params;                                \
    if (!real) real = (ret(*) params)dlsym(RTLD_NEXT, #name); \
    if (is_failing_wal(fd)) {                                \
      errno = EIO;                                           \
      return -1;                                             \
    }                                                        \
    return real args;                                        \
  }

WRAP(ssize_t, write, (int fd, const void *buf, size_t count), (fd, buf, count))
WRAP(ssize_t, pwrite, (int fd, const void *buf, size_t count, off_t offset), (fd, buf, count, offset))
WRAP(ssize_t, pwrite64, (int fd, const void *buf, size_t count, off_t offset), (fd, buf, count, offset))
WRAP(int, fsync, (int fd), (fd))
WRAP(int, fdatasync, (int fd), (fd))
