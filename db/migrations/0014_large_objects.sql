-- 0014: no large objects in the journal's database (issue 10, item 1).
--
-- PostgreSQL lets every role create large objects (lo_creat, lo_create, lo_from_bytea, and
-- psql's \lo_import through them). A large object is readable only by its owner, so one
-- lo_creat(-1) by a student made pg_dump fail as the backup role ("permission denied for
-- large object") and broke every backup, and only a superuser could remove it. The journal
-- keeps no large objects: creating one is for superusers only in this database, the ones
-- that exist are removed, and the backups skip them anyway (pg_dump --no-blobs, db/dump.py).
-- lo_compat_privileges (which would switch off the owner checks) must stay off; `ejournal
-- db check` says so. Other databases of the cluster are closed to persons (0015).

REVOKE EXECUTE ON FUNCTION pg_catalog.lo_creat(integer), pg_catalog.lo_create(oid),
    pg_catalog.lo_from_bytea(oid, bytea), pg_catalog.lo_import(text),
    pg_catalog.lo_import(text, oid)
    FROM PUBLIC;

SELECT count(pg_catalog.lo_unlink(m.oid)) FROM pg_catalog.pg_largeobject_metadata m;
