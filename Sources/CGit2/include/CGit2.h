#ifndef C_GIT2_H
#define C_GIT2_H

#include <git2.h>

#endif
