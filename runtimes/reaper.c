/*
 * The launcher of an environment that is not isolated: a child subreaper (PR_SET_CHILD_SUBREAPER) that runs the
 * runtime as its child, so that every process the runtime starts stays its descendant, daemons that call setsid or
 * setpgid included. When the runtime exits, when the twin asks (SIGUSR1) or when the twin dies (its parent-death
 * signal, SIGCONT, which also wakes it when the environment is frozen), it kills every descendant, then ends as the
 * runtime did (the same exit status, or the same signal). lambda-twin compiles it with the host's cc at first use.
 * With --status-fd, it also writes how the runtime ended (`exit N` or `signal N`) to that descriptor: inside a
 * PID namespace, whose init cannot die of a signal, that is how the twin learns that the runtime was killed by one.
 * Usage: lt-reaper [--status-fd <fd>] <twin pid> <command> [args...]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t asked = 0;
static pid_t twin = 0;

static void on_usr1(int sig) { (void)sig; asked = 1; }
static void on_cont(int sig) { (void)sig; if (getppid() != twin) asked = 1; }
static void on_ignored(int sig) { (void)sig; } /* SIGTERM/SIGINT to the group reach the runtime directly */
static void on_child(int sig) { (void)sig; } /* wakes sigsuspend */

/* SIGKILL to every child (orphaned descendants are re-parented here); the caller reaps. Returns how many. */
static int kill_children(void) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  int n = 0, pid;
  while (fscanf(f, "%d", &pid) == 1) {
    kill(pid, SIGKILL);
    n++;
  }
  fclose(f);
  return n;
}

/* Kills and reaps every descendant, the runtime included; answers the runtime's wait status when it was reaped. */
static void kill_all(pid_t runtime, int *runtime_status, int *runtime_reaped) {
  for (;;) {
    kill_children();
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      return; /* ECHILD: nothing left */
    }
    if (pid == runtime && !*runtime_reaped) {
      *runtime_status = status;
      *runtime_reaped = 1;
    }
  }
}

int main(int argc, char **argv) {
  int status_fd = -1;
  if (argc >= 3 && strcmp(argv[1], "--status-fd") == 0) {
    status_fd = atoi(argv[2]);
    argv += 2;
    argc -= 2;
  }
  if (argc < 3) {
    fprintf(stderr, "usage: lt-reaper [--status-fd <fd>] <twin pid> <command> [args...]\n");
    return 127;
  }
  twin = (pid_t)atoi(argv[1]);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = on_cont;
  sigaction(SIGCONT, &sa, NULL);
  sa.sa_handler = on_ignored;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sa.sa_handler = on_child;
  sigaction(SIGCHLD, &sa, NULL);
  /* The signals that end the wait are taken only inside sigsuspend, so none is missed between check and wait. */
  sigset_t waited, orig;
  sigemptyset(&waited);
  sigaddset(&waited, SIGUSR1);
  sigaddset(&waited, SIGCONT);
  sigaddset(&waited, SIGCHLD);
  sigprocmask(SIG_BLOCK, &waited, &orig);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  prctl(PR_SET_PDEATHSIG, SIGCONT);
  if (getppid() != twin) asked = 1; /* the twin died before the parent-death signal was set */

  pid_t runtime = fork();
  if (runtime < 0) {
    perror("lt-reaper: fork");
    return 127;
  }
  if (runtime == 0) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGUSR1, &dfl, NULL);
    sigaction(SIGCONT, &dfl, NULL);
    sigaction(SIGTERM, &dfl, NULL);
    sigaction(SIGINT, &dfl, NULL);
    sigaction(SIGHUP, &dfl, NULL);
    sigaction(SIGCHLD, &dfl, NULL);
    sigprocmask(SIG_SETMASK, &orig, NULL);
    if (status_fd >= 0) close(status_fd);
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* dies with this launcher, even when frozen */
    execvp(argv[2], argv + 2);
    fprintf(stderr, "lt-reaper: exec %s: %s\n", argv[2], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
  }

  int status = SIGKILL, reaped = 0; /* a wait status: killed by SIGKILL, until the runtime's own is known */
  for (;;) {
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
      if (pid == runtime) {
        status = st;
        reaped = 1;
      }
    }
    if (reaped || asked || (pid < 0 && errno == ECHILD)) break;
    sigsuspend(&orig);
  }
  /* The environment ends with its runtime: nothing it started may outlive it. */
  kill_all(runtime, &status, &reaped);
  if (status_fd >= 0) {
    dprintf(status_fd, WIFEXITED(status) ? "exit %d\n" : "signal %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    close(status_fd);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  raise(sig);
  return 128 + sig;
}
