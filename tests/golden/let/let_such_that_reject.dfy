// Dafny has let-such-that expressions `var x :| P; e`; MiniDafny does not (choose the value
// in a method with the statement `var x :| P;`).

function Above(x: int): int
{
  var y :| y > x;
  y
}
