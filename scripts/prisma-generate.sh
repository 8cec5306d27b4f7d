#!/bin/sh
# Generates both clients (SQLite's and PostgreSQL's). Prisma 7's CLI fetches its native schema
# engine before any command, which fails without internet; `generate` never runs it, so it is
# pointed at a stand-in that exists (PRISMA_SCHEMA_ENGINE_BINARY, Prisma's own override).
set -e
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/false}" PRISMA_HIDE_UPDATE_MESSAGE=1
prisma generate
CORRAL_DATABASE_URL=postgresql://localhost/generate-only prisma generate
