/** In-memory persistence for the Petstore example. */
import { randomUUID } from 'node:crypto';

export type Species = 'dog' | 'cat' | 'bird' | 'reptile' | 'other';

export interface Owner {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

export interface PetRecord {
  id: string;
  name: string;
  species: Species;
  tag: string | null;
  birthDate: string | null;
  ownerId: string | null;
  createdAt: string;
  photoUrls: string[];
}

export interface Order {
  id: number;
  storeId: string;
  petId: string;
  quantity: number;
  status: 'placed' | 'approved' | 'delivered';
  shipDate: string | null;
}

export const owners = new Map<string, Owner>([
  ['own_1', { id: 'own_1', name: 'Ada Lovelace', email: 'ada@example.com', phone: null }],
  ['own_2', { id: 'own_2', name: 'Grace Hopper', email: 'grace@example.com', phone: '+1 555 0100' }],
]);

export const pets = new Map<string, PetRecord>();

export const orders = new Map<string, Order>([
  ['store_berlin/1', { id: 1, storeId: 'store_berlin', petId: 'pet_seed', quantity: 1, status: 'placed', shipDate: null }],
]);

export function newPetId(): string {
  return `pet_${randomUUID().slice(0, 8)}`;
}

/** The wire representation of a pet: the owner is embedded, internal fields are dropped. */
export function toPet(record: PetRecord) {
  const owner = record.ownerId ? owners.get(record.ownerId) : undefined;
  return {
    id: record.id,
    name: record.name,
    species: record.species,
    tag: record.tag,
    birthDate: record.birthDate,
    ...(owner ? { owner } : {}),
    createdAt: record.createdAt,
  };
}
