"""Reports to what people see: no verification logic lives here."""
