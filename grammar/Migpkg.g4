// The migpkg DSL (.mig files). docs/dsl.md is the language reference; this file is only the
// syntax. The C++ lexer and parser are generated from it at build time (see CMakeLists.txt); the
// compiler lexes with compiler/dsl/fast_lexer.cpp, a hand-written copy of the lexer rules below
// that tests/unit/test_fast_lexer.cpp compares with the generated lexer.
//
// Design notes:
// - Keywords are case-insensitive (fragment letters) and "soft": every keyword is also accepted
//   where a name is expected (`word`), so a column may be called `name`, `type` or `comment`.
// - SQL is never parsed. Statements are written in dollar-quoted blocks ($$ ... $$ or
//   $tag$ ... $tag$, as in PostgreSQL); short expressions (check, where, view queries) may also
//   be written in balanced parentheses. Both are captured verbatim from the character stream.
// - Nothing here is recursive except `parenText`; compiler/dsl/ refuses input nested deeper than
//   a fixed limit before this parser runs, so deep nesting cannot exhaust the stack.
grammar Migpkg;

@lexer::members {
  // Called when an opening dollar quote (two dollar signs around an optional tag) has been
  // matched: consumes everything up to and including the same quote, so the block may hold any
  // text (semicolons, braces, other dollar quotes). An unterminated block runs to the end of
  // the input; the transformer reports it.
  void consumeDollarBody() {
    std::string tag = getText();
    auto* simulator = getInterpreter<antlr4::atn::LexerATNSimulator>();
    while (_input->LA(1) != antlr4::Token::EOF) {
      bool closes = true;
      for (size_t i = 0; i < tag.size() && closes; ++i)
        closes = _input->LA(static_cast<ssize_t>(i + 1)) == static_cast<size_t>(tag[i]);
      if (closes) {
        for (size_t i = 0; i < tag.size(); ++i) simulator->consume(_input);
        return;
      }
      simulator->consume(_input);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Files

file : fileItem* EOF ;

fileItem
  : PLUGIN ident                                                      # pluginDecl
  | USE (word | STRING)                                               # useDecl
  | GROUP ident '(' columnDef (',' columnDef)* ','? ')'               # groupDecl
  | MIGRATION ident '{' migrationItem* '}'                            # migrationDecl
  ;

migrationItem
  : VERSION (VERSION_NUMBER | STRING)                                 # versionItem
  | NAME_KW STRING                                                    # nameItem
  | DESCRIPTION STRING                                                # descriptionItem
  | TYPE word                                                         # typeItem
  | CATEGORY word                                                     # categoryItem
  | RISK word                                                         # riskItem
  | REQUIRES BACKUP                                                   # requiresBackupItem
  | NO BACKUP                                                         # noBackupItem
  | ENGINES word (',' word)*                                          # enginesItem
  | DEPENDS ON ident (',' ident)*                                     # dependsItem
  | CONFLICTS WITH ident (',' ident)*                                 # conflictsItem
  | ESTIMATED DURATION INT                                            # durationItem
  | CREATED AT STRING                                                 # createdItem
  | UPDATED AT STRING                                                 # updatedItem
  | UP '{' stepEntry* '}'                                             # upBlock
  | DOWN '{' stepEntry* '}'                                           # downBlock
  ;

// ---------------------------------------------------------------------------------------------
// Steps: a bare schema change, or a `step` block holding SQL, a transform or one change.

stepEntry
  : STEP ident STRING? '{' stepItem* '}'                              # stepBlock
  | change                                                            # bareChange
  | load                                                              # bareLoad
  ;

stepItem
  : TYPE word                                                         # stepType
  | DESCRIPTION STRING                                                # stepDescription
  | NOT TRANSACTIONAL                                                 # stepNotTransactional
  | IRREVERSIBLE                                                      # stepIrreversible
  | SKIP_KW ON ERROR                                                   # stepSkipOnError
  | TIMEOUT INT                                                       # stepTimeout
  | DEPENDS ON ident (',' ident)*                                     # stepDepends
  | VALIDATE (BEFORE | AFTER) word? DOLLAR_TEXT                       # stepValidation
  | EXPECT expectation (',' expectation)*                             # stepExpect
  | SQL word? DOLLAR_TEXT                                             # stepSql
  | TRANSFORM FROM ident TO ident '{' transformItem* '}'              # stepTransform
  | change                                                            # stepChange
  | load                                                              # stepLoad
  ;

expectation : (ROWS | TABLES | INDEXES) INT ;

// A data file of the plugin's data/ loaded into a table; the mode is fail, skip, overwrite or
// merge (a word, so no new keyword per mode).
load : LOAD STRING INTO ident (ON CONFLICT word)? ;

// ---------------------------------------------------------------------------------------------
// Transforms (portable-migration-v1 `transform`)

transformItem
  : MAP ident mapOption*                                              # mapItem
  | WHERE sqlExpression                                               # filterItem
  | BATCH SIZE INT                                                    # batchItem
  | RULE ident sqlExpression STRING (ERROR | WARNING)?               # ruleItem
  ;

mapOption
  : FROM ident                                                        # mapSource
  | USING valueTransform                                              # mapTransform
  | DEFAULT literal                                                   # mapDefault
  | REQUIRED                                                          # mapRequired
  ;

valueTransform
  : COMPUTE sqlExpression withParameters?                             # expressionTransform
  | LOOKUP '{' lookupEntry (',' lookupEntry)* ','? '}' withParameters?  # inlineLookup
  | LOOKUP ident '(' ident ',' ident ')' withParameters?              # tableLookup
  | CUSTOM (DOLLAR_TEXT | '{' engineText+ '}') withParameters?        # customTransform
  | word ('(' literal (',' literal)* ')')?                            # functionTransform
  ;

withParameters : WITH '(' literal (',' literal)* ')' ;
lookupEntry : STRING ':' literal ;
engineText : word DOLLAR_TEXT ;

// ---------------------------------------------------------------------------------------------
// Declarative schema changes

change
  : CREATE TABLE ident '(' tableItem (',' tableItem)* ','? ')'        # createTable
  | DROP TABLE ident                                                  # dropTable
  | RENAME TABLE ident TO ident                                       # renameTable
  | ALTER TABLE ident ADD COLUMN columnDef (AFTER ident | FIRST)?     # addColumn
  | ALTER TABLE ident DROP COLUMN ident                               # dropColumn
  | ALTER TABLE ident RENAME COLUMN ident TO ident                    # renameColumn
  | ALTER TABLE ident ALTER COLUMN ident alterAction (',' alterAction)*  # alterColumn
  | ALTER TABLE ident ADD tableConstraint                             # addConstraint
  | ALTER TABLE ident DROP CONSTRAINT ident                           # dropConstraint
  | CREATE UNIQUE? INDEX ident? ON ident columnList (WHERE sqlExpression)?  # createIndex
  | DROP INDEX ident (ON ident)?                                      # dropIndex
  | CREATE VIEW ident AS sqlExpression                                # createView
  | DROP VIEW ident                                                   # dropView
  | CREATE EXTENSION ident                                            # createExtension
  | DROP EXTENSION ident                                              # dropExtension
  | COMMENT ON TABLE ident IS (STRING | NULL_KW)                         # commentOnTable
  | COMMENT ON COLUMN ident ('.' ident)? IS (STRING | NULL_KW)           # commentOnColumn
  ;

tableItem
  : tableConstraint                                                   # constraintItem
  | USE word                                                          # useGroupItem
  | COMMENT STRING                                                    # tableCommentItem
  | columnDef                                                         # columnItem
  ;

columnDef : ident typeRef columnOption* ;

typeRef : word ('(' typeArgument (',' typeArgument)* ')')? ;
typeArgument : INT | STRING | SQL_STRING | word ;

columnOption
  : NOT NULL_KW                                                          # notNullOption
  | NULL_KW                                                              # nullOption
  | DEFAULT defaultValue                                              # defaultOption
  | COMMENT STRING                                                    # commentOption
  | (CONSTRAINT ident)? PRIMARY KEY                                   # primaryKeyOption
  | (CONSTRAINT ident)? UNIQUE                                        # uniqueOption
  | (CONSTRAINT ident)? references                                    # referencesOption
  | (CONSTRAINT ident)? CHECK sqlExpression                           # checkOption
  ;

tableConstraint
  : (CONSTRAINT ident)? PRIMARY KEY columnList                        # primaryKeyConstraint
  | (CONSTRAINT ident)? UNIQUE columnList                             # uniqueConstraint
  | (CONSTRAINT ident)? FOREIGN KEY columnList references             # foreignKeyConstraint
  | (CONSTRAINT ident)? CHECK sqlExpression                           # checkConstraint
  ;

references : REFERENCES ident columnList referentialAction* ;
referentialAction : ON (DELETE | UPDATE) actionKind ;
actionKind : CASCADE | RESTRICT | SET NULL_KW | SET DEFAULT | NO ACTION ;

alterAction
  : TYPE typeRef                                                      # setTypeAction
  | SET NOT NULL_KW                                                      # setNotNullAction
  | DROP NOT NULL_KW                                                     # dropNotNullAction
  | SET DEFAULT defaultValue                                          # setDefaultAction
  | DROP DEFAULT                                                      # dropDefaultAction
  ;

columnList : '(' ident (',' ident)* ')' ;

defaultValue
  : literal                                                           # literalDefault
  | word '(' ')'                                                      # functionDefault
  | JSON SQL_STRING                                                   # jsonDefault
  | sqlExpression                                                     # expressionDefault
  ;

// ---------------------------------------------------------------------------------------------
// Small pieces

// Raw SQL kept verbatim: a dollar-quoted block, or balanced parentheses.
sqlExpression : DOLLAR_TEXT | parenText ;
parenText : '(' (parenText | ~('(' | ')'))* ')' ;

literal : STRING | '-'? (INT | DECIMAL) | TRUE_KW | FALSE_KW | NULL_KW ;

// An identifier is a word or a "string". The word's tokens are repeated here rather than
// `ident : word | STRING`: identifiers are the commonest thing in a file, and a rule per
// level is a parse-tree node per level (10,000 migrations: a million fewer nodes to build and
// free). The two lists must stay the same; tests/unit/test_dsl_grammar.cpp checks that.
ident
  : STRING | NAME | PLUGIN | USE | GROUP | MIGRATION | VERSION | NAME_KW | DESCRIPTION | TYPE | CATEGORY
  | RISK | REQUIRES | BACKUP | ENGINES | DEPENDS | ON | CONFLICTS | WITH | ESTIMATED | DURATION
  | CREATED | UPDATED | AT | UP | DOWN | STEP | NOT | TRANSACTIONAL | IRREVERSIBLE | SKIP_KW
  | ERROR | WARNING | TIMEOUT | VALIDATE | BEFORE | AFTER | FIRST | EXPECT | ROWS | TABLES | INDEXES | SQL
  | TRANSFORM | FROM | TO | MAP | USING | DEFAULT | REQUIRED | WHERE | BATCH | SIZE | RULE
  | COMPUTE | LOOKUP | CUSTOM | CREATE | DROP | RENAME | ALTER | ADD | TABLE | COLUMN
  | CONSTRAINT | PRIMARY | KEY | UNIQUE | FOREIGN | REFERENCES | CHECK | DELETE | UPDATE
  | CASCADE | RESTRICT | SET | NO | ACTION | INDEX | VIEW | AS | EXTENSION | COMMENT | IS
  | JSON | LOAD | INTO | CONFLICT | TRUE_KW | FALSE_KW | NULL_KW
  ;

word
  : NAME | PLUGIN | USE | GROUP | MIGRATION | VERSION | NAME_KW | DESCRIPTION | TYPE | CATEGORY
  | RISK | REQUIRES | BACKUP | ENGINES | DEPENDS | ON | CONFLICTS | WITH | ESTIMATED | DURATION
  | CREATED | UPDATED | AT | UP | DOWN | STEP | NOT | TRANSACTIONAL | IRREVERSIBLE | SKIP_KW
  | ERROR | WARNING | TIMEOUT | VALIDATE | BEFORE | AFTER | FIRST | EXPECT | ROWS | TABLES | INDEXES | SQL
  | TRANSFORM | FROM | TO | MAP | USING | DEFAULT | REQUIRED | WHERE | BATCH | SIZE | RULE
  | COMPUTE | LOOKUP | CUSTOM | CREATE | DROP | RENAME | ALTER | ADD | TABLE | COLUMN
  | CONSTRAINT | PRIMARY | KEY | UNIQUE | FOREIGN | REFERENCES | CHECK | DELETE | UPDATE
  | CASCADE | RESTRICT | SET | NO | ACTION | INDEX | VIEW | AS | EXTENSION | COMMENT | IS
  | JSON | LOAD | INTO | CONFLICT | TRUE_KW | FALSE_KW | NULL_KW
  ;

// ---------------------------------------------------------------------------------------------
// Lexer. Keywords come before NAME so that an exact keyword wins over a name of equal length.
// compiler/dsl/fast_lexer.cpp implements these rules (and the literals of the parser rules) by
// hand: a change here must be made there too, or test_fast_lexer fails.

PLUGIN : P L U G I N ;
USE : U S E ;
GROUP : G R O U P ;
MIGRATION : M I G R A T I O N ;
VERSION : V E R S I O N ;
NAME_KW : N A M E ;
DESCRIPTION : D E S C R I P T I O N ;
TYPE : T Y P E ;
CATEGORY : C A T E G O R Y ;
RISK : R I S K ;
REQUIRES : R E Q U I R E S ;
BACKUP : B A C K U P ;
ENGINES : E N G I N E S ;
DEPENDS : D E P E N D S ;
ON : O N ;
CONFLICTS : C O N F L I C T S ;
WITH : W I T H ;
ESTIMATED : E S T I M A T E D ;
DURATION : D U R A T I O N ;
CREATED : C R E A T E D ;
UPDATED : U P D A T E D ;
AT : A T ;
UP : U P ;
DOWN : D O W N ;
STEP : S T E P ;
NOT : N O T ;
TRANSACTIONAL : T R A N S A C T I O N A L ;
IRREVERSIBLE : I R R E V E R S I B L E ;
SKIP_KW : S K I P ;
ERROR : E R R O R ;
WARNING : W A R N I N G ;
TIMEOUT : T I M E O U T ;
VALIDATE : V A L I D A T E ;
BEFORE : B E F O R E ;
AFTER : A F T E R ;
FIRST : F I R S T ;
EXPECT : E X P E C T ;
ROWS : R O W S ;
TABLES : T A B L E S ;
INDEXES : I N D E X E S ;
SQL : S Q L ;
TRANSFORM : T R A N S F O R M ;
FROM : F R O M ;
TO : T O ;
MAP : M A P ;
USING : U S I N G ;
DEFAULT : D E F A U L T ;
REQUIRED : R E Q U I R E D ;
WHERE : W H E R E ;
BATCH : B A T C H ;
SIZE : S I Z E ;
RULE : R U L E ;
COMPUTE : C O M P U T E ;
LOOKUP : L O O K U P ;
CUSTOM : C U S T O M ;
CREATE : C R E A T E ;
DROP : D R O P ;
RENAME : R E N A M E ;
ALTER : A L T E R ;
ADD : A D D ;
TABLE : T A B L E ;
COLUMN : C O L U M N ;
CONSTRAINT : C O N S T R A I N T ;
PRIMARY : P R I M A R Y ;
KEY : K E Y ;
UNIQUE : U N I Q U E ;
FOREIGN : F O R E I G N ;
REFERENCES : R E F E R E N C E S ;
CHECK : C H E C K ;
DELETE : D E L E T E ;
UPDATE : U P D A T E ;
CASCADE : C A S C A D E ;
RESTRICT : R E S T R I C T ;
SET : S E T ;
NO : N O ;
ACTION : A C T I O N ;
INDEX : I N D E X ;
VIEW : V I E W ;
AS : A S ;
EXTENSION : E X T E N S I O N ;
COMMENT : C O M M E N T ;
IS : I S ;
JSON : J S O N ;
LOAD : L O A D ;
INTO : I N T O ;
CONFLICT : C O N F L I C T ;
TRUE_KW : T R U E ;
FALSE_KW : F A L S E ;
NULL_KW : N U L L ;

VERSION_NUMBER
  : DIGIT+ '.' DIGIT+ '.' DIGIT+ ('-' [0-9A-Za-z.-]+)? ('+' [0-9A-Za-z.-]+)? ;
DECIMAL : DIGIT+ '.' DIGIT+ ([eE] [+-]? DIGIT+)? ;
INT : DIGIT+ ;
// Names may hold '.' and '-' between word characters: acme.crm, crm-001-install, s.table.
NAME : [A-Za-z0-9_]+ ([.-] [A-Za-z0-9_]+)* ;

// "text" with \" \\ \n \r \t \uHHHH escapes; 'text' (SQL style, '' for a quote) is only used
// for JSON defaults and inside raw SQL expressions.
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;
SQL_STRING : '\'' (~'\'' | '\'\'')* '\'' ;
DOLLAR_TEXT : '$' ([A-Za-z_] [A-Za-z_0-9]*)? '$' { consumeDollarBody(); } ;

LINE_COMMENT : '--' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS : [ \t\r\n\f]+ -> channel(HIDDEN) ;

// Raw SQL inside parentheses may hold any other character; outside it the parser reports it.
OTHER : . ;

fragment DIGIT : [0-9] ;
fragment A : [aA] ; fragment B : [bB] ; fragment C : [cC] ; fragment D : [dD] ;
fragment E : [eE] ; fragment F : [fF] ; fragment G : [gG] ; fragment H : [hH] ;
fragment I : [iI] ; fragment J : [jJ] ; fragment K : [kK] ; fragment L : [lL] ;
fragment M : [mM] ; fragment N : [nN] ; fragment O : [oO] ; fragment P : [pP] ;
fragment Q : [qQ] ; fragment R : [rR] ; fragment S : [sS] ; fragment T : [tT] ;
fragment U : [uU] ; fragment V : [vV] ; fragment W : [wW] ; fragment X : [xX] ;
fragment Y : [yY] ; fragment Z : [zZ] ;
