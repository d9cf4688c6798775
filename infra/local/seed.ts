import units from '@seeds/units.json';
import { seedUnit } from '@shared/store/units';

type SeedUnit = { unitId: string; name: { zh: string; en: string }; email: string; standing: { barred: boolean; reason?: string } };

/** Puts the sample units and their standing into the table, leaving any standing staff changed since. */
export async function seedUnits(): Promise<void> {
  for (const unit of units as SeedUnit[]) {
    await seedUnit({ unitId: unit.unitId, name: unit.name, email: unit.email, barred: unit.standing.barred, barredReason: unit.standing.reason });
  }
}
