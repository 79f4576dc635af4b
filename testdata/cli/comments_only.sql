-- a file with comments and no statement
/* nothing
   to do */
