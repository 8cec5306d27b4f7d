export { dbProvider, openDatabase, type Db } from "../lib/server/database";
