// recursive method on a nat parameter: the default decreases n works
method CountDown(n: nat) returns (steps: nat)
  ensures steps == n
{
  if n == 0 {
    steps := 0;
  } else {
    steps := CountDown(n - 1);
    steps := steps + 1;
  }
}
