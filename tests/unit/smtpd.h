/*
 * smtpd.h - a real SMTP server for the email tests: Debian's aiosmtpd,
 * run on a free loopback port, writing what it receives into a Maildir
 * the test reads back. Shared by the unit and the integration tests.
 */
#ifndef CRENEAU_TEST_SMTPD_H
#define CRENEAU_TEST_SMTPD_H

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SMTPD_PYTHON "/usr/bin/python3"

struct smtpd {
	pid_t pid; /* 0 when not running */
	int port;
	char maildir[512];
};

/* A loopback TCP port free at the time of the call, or -1. */
static inline int
smtpd_free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* Returns 1 if something accepts connections on port. */
static inline int
smtpd_listening(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

/* Starts the server on s->port (picked when 0) writing into maildir.
 * Returns 0 once it accepts connections, or -1. */
static inline int
smtpd_start(struct smtpd *s, const char *maildir)
{
	char listen[64];
	int i;

	snprintf(s->maildir, sizeof(s->maildir), "%s", maildir);
	if (s->port == 0 && (s->port = smtpd_free_port()) < 0)
		return -1;
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		execl(SMTPD_PYTHON, SMTPD_PYTHON, "-m", "aiosmtpd", "-n", "-l",
		    listen, "-c", "aiosmtpd.handlers.Mailbox", maildir,
		    (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (smtpd_listening(s->port))
			return 0;
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Stops the server (its port stays s->port for a restart). */
static inline void
smtpd_stop(struct smtpd *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
}

/* Writes the path of the first message in maildir/new into out and
 * returns how many there are (0: none yet). */
static inline int
smtpd_messages(const struct smtpd *s, char *out, size_t outlen)
{
	char dir[600];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/new", s->maildir);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n++ == 0 && out != NULL &&
		    (size_t)snprintf(out, outlen, "%s/%s", dir, e->d_name) >=
			outlen)
			out[0] = '\0';
	}
	closedir(d);
	return n;
}

/*
 * Parses message file path with Python's email package (a standard
 * parser, not ours) and writes "Subject\nFrom\nTo\nContent-Type\n\nbody"
 * decoded into out. Returns 0 or -1.
 */
static inline int
smtpd_decode(const char *path, char *out, size_t outlen)
{
	static const char script[] =
	    "import sys\n"
	    "from email import policy\n"
	    "from email.parser import BytesParser\n"
	    "m = BytesParser(policy=policy.default).parse(open(sys.argv[1], "
	    "'rb'))\n"
	    "sys.stdout.write('%s\\n%s\\n%s\\n%s\\n\\n%s' % (m['subject'], "
	    "m['from'], m['to'], m.get_content_type() + ';' + "
	    "m.get_content_charset(), m.get_content()))\n";
	int fds[2], status;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(SMTPD_PYTHON, SMTPD_PYTHON, "-c", script, path,
		    (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (
	    n + 1 < outlen && (r = read(fds[0], out + n, outlen - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

#endif
