// idmap-mount BASE COUNT SRC DST [-- PROGRAM ARGS...]: bind SRC at DST read-only, idmapped so
// that uid/gid N on SRC appears as BASE+N (N < COUNT). Uses the new mount API (Linux >= 5.12);
// Debian 12's mount(8) (util-linux 2.38) silently ignores X-mount.idmap.
// With "-- PROGRAM ARGS", first enters a new private mount namespace, so that the mount exists
// only there, then execs PROGRAM in it: Corral runs `lxc-start -F` so (server/lxc/lxc-driver.ts),
// and the mount disappears with the container, even after kill -9. Built by scripts/setup.sh.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mount.h>

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

int main(int argc, char **argv) {
  int exec_at = 0;
  if (argc > 6 && strcmp(argv[5], "--") == 0) exec_at = 6;
  else if (argc != 5) { fprintf(stderr, "usage: idmap-mount BASE COUNT SRC DST [-- PROGRAM ARGS...]\n"); return 2; }
  if (exec_at) {
    if (unshare(CLONE_NEWNS) < 0) { perror("unshare(CLONE_NEWNS)"); return 1; }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) { perror("make / private"); return 1; }
  }
  unsigned long base = strtoul(argv[1], NULL, 10), count = strtoul(argv[2], NULL, 10);
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) { perror("pipe"); return 1; }
  pid_t child = fork();
  if (child == 0) {  // holds a user namespace with the wanted map until the parent is done
    if (unshare(CLONE_NEWUSER) < 0) _exit(1);
    close(pipefd[1]);
    char c; read(pipefd[0], &c, 1);
    _exit(0);
  }
  close(pipefd[0]);
  char path[64], map[64];
  int rc = 1, ns = -1, tree = -1;
  snprintf(map, sizeof map, "0 %lu %lu\n", base, count);
  for (int i = 0; i < 1000; i++) {  // wait until the child has unshared
    char a[64], b[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", child);
    ssize_t la = readlink(path, a, sizeof a - 1), lb = readlink("/proc/self/ns/user", b, sizeof b - 1);
    if (la > 0 && lb > 0 && (la != lb || memcmp(a, b, la))) break;
    usleep(1000);
  }
  snprintf(path, sizeof path, "/proc/%d/uid_map", child);
  if (write_file(path, map)) { perror("uid_map"); goto out; }
  snprintf(path, sizeof path, "/proc/%d/setgroups", child);
  write_file(path, "deny");
  snprintf(path, sizeof path, "/proc/%d/gid_map", child);
  if (write_file(path, map)) { perror("gid_map"); goto out; }
  snprintf(path, sizeof path, "/proc/%d/ns/user", child);
  if ((ns = open(path, O_RDONLY | O_CLOEXEC)) < 0) { perror("open userns"); goto out; }
  tree = syscall(SYS_open_tree, AT_FDCWD, argv[3], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0) { perror("open_tree"); goto out; }
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY, .userns_fd = ns };
  if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) { perror("mount_setattr"); goto out; }
  if (syscall(SYS_move_mount, tree, "", AT_FDCWD, argv[4], MOVE_MOUNT_F_EMPTY_PATH) < 0) { perror("move_mount"); goto out; }
  rc = 0;
out:
  close(pipefd[1]);
  waitpid(child, NULL, 0);
  if (rc == 0 && exec_at) {
    execvp(argv[exec_at], argv + exec_at);
    perror(argv[exec_at]);
    return 127;
  }
  return rc;
}
