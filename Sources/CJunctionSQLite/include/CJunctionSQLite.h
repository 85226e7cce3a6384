#ifndef C_JUNCTION_SQLITE_H
#define C_JUNCTION_SQLITE_H

#include "sqlite_nio_sqlite3.h"

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) for one
/// connection; 0 on success. Swift cannot call the variadic `sqlite3_db_config`, hence C.
int junction_sqlite_enable_qpsg(sqlite3 *db);

#endif
