export { openDatabase, type Db } from "../lib/server/database";
