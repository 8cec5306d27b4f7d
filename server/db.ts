export { dbProvider, openDatabase, sqliteTime, type Db } from "../lib/server/database";
