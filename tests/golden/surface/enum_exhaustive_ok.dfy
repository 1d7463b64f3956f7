// Every datatype value is built by one of its constructors.
datatype Color = Red | Green | Blue
datatype T = A(x: int) | B | C(y: bool)

method M(c: Color, t: T) {
  assert c != Red && c != Green ==> c == Blue;
  assert c == Red || c == Green || c == Blue;
  assert t.A? || t.B? || t.C?;
  assert !t.A? && !t.C? ==> t == B;
}

function Next(c: Color): Color
{
  if c == Red then Green else if c == Green then Blue else Red
}

method N(c: Color) {
  assert c != Red && c != Green ==> Next(c) == Red;
}
