// Literal patterns (current Dafny): a match on an int without a variable or `_` case may
// miss a value; current Dafny reports "missing case in match ...: not all possibilities for
// selector of type int have been covered".

function Digit(n: int): int
{
  match n
  case 0 => 0
  case 1 => 1
}

method Choose(n: nat) returns (r: int)
{
  match n {
    case 0 => r := 0;
    case 1 => r := 1;
  }
}
