/* datadir.h - where the shipped data folder is (reference lists, the ISO
 * and UBL schemas): the one search the command line, the web and the
 * services share. */
#ifndef BIDRAG_UTIL_DATADIR_H
#define BIDRAG_UTIL_DATADIR_H

/* opt when given; else $BIDRAG_DATA; else ./data when it holds the
 * reference lists (an installation run from its folder); else the source
 * tree's data folder. */
const char *data_dir(const char *opt);

#endif
