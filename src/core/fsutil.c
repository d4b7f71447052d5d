/* fsutil.c - directory of a path, private directories. */
#include "core/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"

int
fs_dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');
	int len;

	if (slash == NULL)
		len = snprintf(dir, n, ".");
	else if (slash == path)
		len = snprintf(dir, n, "/");
	else
		len = snprintf(dir, n, "%.*s", (int)(slash - path), path);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

int
fs_mkdirs(const char *dir, char *err, size_t errlen)
{
	char tmp[CONFIG_PATH_MAX];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(tmp)) {
		snprintf(err, errlen, "directory path empty or too long");
		return -1;
	}
	memcpy(tmp, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", tmp,
			    strerror(errno));
			return -1;
		}
		if (i < n)
			tmp[i] = '/';
	}
	return 0;
}

int
fs_mkdirs_for(const char *path, char *err, size_t errlen)
{
	char dir[CONFIG_PATH_MAX];

	if (fs_dir_of(path, dir, sizeof(dir)) != 0) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	return fs_mkdirs(dir, err, errlen);
}

int
fs_read_secret(const char *path, char *out, size_t outlen)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, out, outlen - 1);
	close(fd);
	if (n < 0)
		return -1;
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}
