datatype Shape =
  | Circle(radius: nat)
  | Rect(width: nat, height: nat)

method M(s: Shape) {
  assert s.Rect?;
}
