#include "CJunctionSQLite.h"

// Without it, a statement whose plan could depend on a bound value (a partial index, LIKE) is
// compiled again at every new binding: the profile of issue 13 showed the reads of every
// request parsed and planned anew, 10 % of a request's time. Queries that need a partial index
// name its constant in their text instead.
int junction_sqlite_enable_qpsg(sqlite3 *db) {
    int enabled = 0;
    int status = sqlite_nio_sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
    if (status != SQLITE_OK) return status;
    return enabled == 1 ? SQLITE_OK : SQLITE_ERROR;
}
